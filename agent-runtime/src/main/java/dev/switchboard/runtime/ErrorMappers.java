package dev.switchboard.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/**
 * Turns every exception that reaches the REST layer into a JSON error in OpenAI's envelope
 * ({@link ApiError}): our own refusals, the framework's (unknown path, wrong method, wrong content
 * type) and unexpected failures. No HTML and no empty bodies.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.toError());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, ContainerRequestContext request) {
        int status = e.getResponse().getStatus();
        String method = request.getMethod();
        String path = request.getUriInfo().getPath();
        ApiError error = switch (status) {
            case 404 -> ApiError.of(ApiException.NOT_FOUND, "not_found", "no endpoint " + method + " " + path, null);
            case 405 -> ApiError.of(ApiException.INVALID_REQUEST, "method_not_allowed",
                    "method " + method + " is not allowed on " + path + allowed(e), null);
            case 415 -> ApiError.of(ApiException.INVALID_REQUEST, "unsupported_media_type", "Content-Type '"
                    + (request.getMediaType() == null ? "(none)" : request.getMediaType()) + "' is not supported; send application/json"
                    + (path.endsWith("/documents") ? " or multipart/form-data" : ""), null);
            case 406 -> ApiError.of(ApiException.INVALID_REQUEST, "not_acceptable",
                    "this endpoint only produces application/json", null);
            case 413 -> ApiError.of(ApiException.INVALID_REQUEST, "body_too_large", "request body is too large", null);
            default -> ApiError.of(ApiError.typeFor(status), "http_" + status,
                    e.getMessage() == null ? "HTTP " + status : e.getMessage(), null);
        };
        return json(status, error);
    }

    /** Only reached if a body is ever bound by Jackson instead of {@link JsonBodies}. */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return json(400, ApiError.of(ApiException.INVALID_REQUEST, "invalid_json",
                "request body is not valid JSON: " + e.getOriginalMessage(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s", id);
        return json(500, ApiError.of("server_error", "internal_error",
                "internal error " + id + " (" + e.getClass().getSimpleName() + "); details are in the server log", null));
    }

    private static String allowed(WebApplicationException e) {
        var methods = e.getResponse().getAllowedMethods();
        return methods == null || methods.isEmpty() ? "" : "; allowed: " + String.join(", ", methods.stream().sorted().toList());
    }

    static Response json(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
