package dev.switchboard.models;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a model's {@value ModelRegistry#HISTORY_FILE}: a change of its serving version, written as
 * {@code {"when","who","action","from","to","reason"}}.
 *
 * @param when   when the pointer was switched
 * @param who    who asked for it (a user name, {@code admin-api}, ...)
 * @param action {@value #PROMOTE} or {@value #ROLLBACK}
 * @param from   the version serving before, or {@code null} if the model had none
 * @param to     the version serving after
 * @param reason free text, may be empty
 */
public record RegistryEvent(Instant when, String who, String action, String from, String to, String reason) {

    public static final String PROMOTE = "promote";
    public static final String ROLLBACK = "rollback";

    public RegistryEvent {
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(to, "to");
        who = who == null || who.isBlank() ? "unknown" : who;
        reason = reason == null ? "" : reason;
        if (!PROMOTE.equals(action) && !ROLLBACK.equals(action)) {
            throw new IllegalArgumentException("action must be " + PROMOTE + " or " + ROLLBACK + ", got '" + action + "'");
        }
    }
}
