package dev.switchboard.runtime;

/**
 * A route file (or the routes folder) is wrong. The message names the file and the field, e.g.
 * {@code routes/support.yaml: steps[0].classify.min_confidence: must be between 0 and 1, got 1.5}.
 * Thrown at startup: the runtime refuses to start rather than serve a half-understood route.
 */
final class RouteConfigException extends RuntimeException {

    RouteConfigException(String message) {
        super(message);
    }

    RouteConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
