package dev.switchboard.runtime;

/**
 * The JSON body of every 4xx/5xx response, in OpenAI's envelope so that OpenAI clients show it:
 * {@code {"error": {"type": "invalid_request_error", "code": "message_too_long", "message": "...", "param": "message"}}}.
 * {@code param} names the offending request field, or is null.
 */
record ApiError(Body error) {

    record Body(String type, String code, String message, String param) {
    }

    static ApiError of(String type, String code, String message, String param) {
        return new ApiError(new Body(type, code, message, param));
    }

    /** The error type OpenAI clients expect for an HTTP status. */
    static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> ApiException.NOT_FOUND;
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : ApiException.INVALID_REQUEST;
        };
    }
}
