package dev.switchboard.models;

import java.util.Objects;

/**
 * One earlier turn of the conversation.
 *
 * @param role    {@link #USER} or {@link #ASSISTANT}
 * @param content what was said, not null (may be empty)
 */
public record ChatTurn(String role, String content) {

    /** The customer. */
    public static final String USER = "user";
    /** The platform's earlier answers. */
    public static final String ASSISTANT = "assistant";

    public ChatTurn {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (!role.equals(USER) && !role.equals(ASSISTANT)) {
            throw new IllegalArgumentException("chat turn role must be \"user\" or \"assistant\", got \"" + role + "\"");
        }
    }

    /** A customer turn. */
    public static ChatTurn user(String content) {
        return new ChatTurn(USER, content);
    }

    /** An assistant turn. */
    public static ChatTurn assistant(String content) {
        return new ChatTurn(ASSISTANT, content);
    }
}
