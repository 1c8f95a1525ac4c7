package dev.switchboard.retrieval;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names a collection: a tenant owns collections, and a collection is its own Lucene index under
 * {@code <knowledge base root>/<tenant>/<name>}, so that nothing in one collection can reach another.
 * Both parts match {@code [a-z0-9][a-z0-9_-]{0,63}} (safe as folder names: no dots, slashes or
 * upper case).
 */
public record CollectionId(String tenant, String name) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** The tenant used when none is given. */
    public static final String DEFAULT_TENANT = "default";

    public CollectionId {
        check("tenant", tenant);
        check("collection name", name);
    }

    public static CollectionId of(String tenant, String name) {
        return new CollectionId(tenant, name);
    }

    private static void check(String what, String value) {
        Objects.requireNonNull(value, what + " must not be null");
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value
                    + "' is invalid: use 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return tenant + "/" + name;
    }
}
