package dev.switchboard.runtime;

/**
 * A request the API refuses, with everything its JSON error needs. Rendered by {@link ErrorMappers}
 * as OpenAI's envelope: {@code {"error": {"type", "code", "message", "param"}}}.
 */
final class ApiException extends RuntimeException {

    static final String INVALID_REQUEST = "invalid_request_error";
    static final String NOT_FOUND = "not_found_error";

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    ApiException(int status, String type, String code, String message, String param) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** 400: the request is malformed or misses something. */
    static ApiException invalid(String code, String message, String param) {
        return new ApiException(400, INVALID_REQUEST, code, message, param);
    }

    /** 404: the named thing does not exist. */
    static ApiException notFound(String code, String message, String param) {
        return new ApiException(404, NOT_FOUND, code, message, param);
    }

    /** 413: the request or one of its fields is too large. */
    static ApiException tooLarge(String code, String message, String param) {
        return new ApiException(413, INVALID_REQUEST, code, message, param);
    }

    /** 409: the request conflicts with the current state (exists already, read-only, in use). */
    static ApiException conflict(String code, String message, String param) {
        return new ApiException(409, INVALID_REQUEST, code, message, param);
    }

    /** 415: a file of a type the server cannot read. */
    static ApiException unsupportedType(String code, String message, String param) {
        return new ApiException(415, INVALID_REQUEST, code, message, param);
    }

    /** 422: well-formed, but the content cannot be used (an empty or corrupt file, a document without text). */
    static ApiException unprocessable(String code, String message, String param) {
        return new ApiException(422, INVALID_REQUEST, code, message, param);
    }

    String code() {
        return code;
    }

    String param() {
        return param;
    }

    int status() {
        return status;
    }

    ApiError toError() {
        return ApiError.of(type, code, getMessage(), param);
    }
}
