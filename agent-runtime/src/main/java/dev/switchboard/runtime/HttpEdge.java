package dev.switchboard.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.regex.Pattern;

/**
 * JSON errors for what happens before (or outside) the REST layer, on the Vert.x router:
 * <ul>
 * <li>a body larger than its limit: {@code switchboard.uploads.max-request-size} for a document
 *     upload ({@code POST /v1/collections/{name}/documents}), {@code switchboard.limits.max-body-size}
 *     for everything else. {@code quarkus.http.limits.max-body-size} must be at least the larger of
 *     the two: Quarkus' own check (a backstop) answers 413
 *     with an empty body and closes the connection at once, so a client still sending its body may
 *     see a reset instead of the answer. This handler runs first: it reads and discards the body
 *     (up to {@link #DRAIN_LIMIT}), then answers 413 with a JSON error;</li>
 * <li>a chunked body (no Content-Length) is read here with the same limit, for the same reason —
 *     except a multipart one, which Quarkus must parse from the stream itself (so a chunked upload
 *     over Quarkus' limit gets Quarkus' empty 413);</li>
 * <li>a path no endpoint serves: 404 JSON instead of Vert.x's HTML page;</li>
 * <li>any other failure the router reports: JSON in the same envelope.</li>
 * </ul>
 */
@ApplicationScoped
class HttpEdge {

    /** Runs before Quarkus' body-size check, which is registered at order -2. */
    static final int ORDER = -3;

    /** A body larger than this is not drained: the connection is closed after the answer. */
    static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The path of the document upload, whose bodies may be larger. */
    static final Pattern UPLOAD_PATH = Pattern.compile("/v1/collections/[^/]+/documents/?");

    @ConfigProperty(name = "switchboard.limits.max-body-size", defaultValue = "512K")
    MemorySize maxBodySize;

    @ConfigProperty(name = "switchboard.uploads.max-request-size", defaultValue = "64M")
    MemorySize maxUploadSize;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ctx -> checkBodySize(ctx, limitFor(ctx.request())));
        router.route().order(ORDER).failureHandler(this::failure);
        router.route().last().handler(ctx -> send(ctx.response(), 404, ApiError.of(ApiException.NOT_FOUND, "not_found",
                "no endpoint " + ctx.request().method() + " " + ctx.request().path(), null)));
    }

    private long limitFor(HttpServerRequest request) {
        boolean upload = request.method() == HttpMethod.POST && UPLOAD_PATH.matcher(request.path()).matches();
        return (upload ? maxUploadSize : maxBodySize).asLongValue();
    }

    private void checkBodySize(RoutingContext ctx, long limit) {
        HttpServerRequest request = ctx.request();
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            if (!hasBody(request) || isMultipart(request)) {
                ctx.next();
            } else {
                readChunked(ctx, limit);
            }
            return;
        }
        long length;
        try {
            length = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            ctx.next(); // the HTTP codec rejects a malformed Content-Length itself
            return;
        }
        if (length <= limit) {
            ctx.next();
            return;
        }
        ApiError error = tooLarge(length + " bytes", limit);
        HttpServerResponse response = ctx.response();
        if (expectsContinue(request) || length > DRAIN_LIMIT) {
            // The client has not sent the body yet (or it is absurdly large): answer and close.
            response.putHeader(HttpHeaders.CONNECTION, "close");
            send(response, 413, error);
            response.endHandler(v -> request.connection().close());
            return;
        }
        request.handler(buffer -> { }); // discard
        request.endHandler(v -> send(response, 413, error));
        request.exceptionHandler(e -> request.connection().close());
        request.resume();
    }

    /**
     * A chunked body (no Content-Length) is read here, within the limit, and handed to the REST
     * layer as the already-read body (Quarkus REST uses {@code RoutingContext.getBody()} when set).
     * Past the limit it is discarded and answered with a JSON 413.
     */
    private void readChunked(RoutingContext ctx, long limit) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        long[] received = {0};
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] <= limit) {
                body.appendBuffer(chunk);
            } else if (received[0] > DRAIN_LIMIT) {
                request.connection().close();
            }
        });
        request.endHandler(v -> {
            if (received[0] > limit) {
                send(ctx.response(), 413, tooLarge("more than " + limit + " bytes", limit));
            } else {
                ctx.setBody(body);
                ctx.next();
            }
        });
        request.exceptionHandler(e -> request.connection().close());
        if (expectsContinue(request)) {
            ctx.response().writeContinue();
        }
        request.resume();
    }

    private static boolean hasBody(HttpServerRequest request) {
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                && (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT || request.method() == HttpMethod.PATCH);
    }

    private static boolean isMultipart(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
    }

    private static boolean expectsContinue(HttpServerRequest request) {
        return "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    }

    private static ApiError tooLarge(String size, long limit) {
        return ApiError.of(ApiException.INVALID_REQUEST, "body_too_large",
                "request body is " + size + "; the limit is " + limit + " bytes", null);
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        String message = status == 413 ? "request body is too large"
                : ctx.failure() == null ? "HTTP " + status : ctx.failure().getClass().getSimpleName() + ": " + ctx.failure().getMessage();
        String code = status == 413 ? "body_too_large" : status >= 500 ? "internal_error" : "http_" + status;
        send(ctx.response(), status, ApiError.of(ApiError.typeFor(status), code, message, null));
    }

    private static void send(HttpServerResponse response, int status, ApiError error) {
        String body;
        try {
            body = MAPPER.writeValueAsString(error);
        } catch (JsonProcessingException e) {
            body = "{\"error\":{\"type\":\"server_error\",\"code\":\"internal_error\",\"message\":\"error rendering failed\",\"param\":null}}";
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body);
    }
}
