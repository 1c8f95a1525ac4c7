package dev.switchboard.models;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model in a {@link ModelRegistry}: the folder {@code <root>/<kind>/<name>}, written
 * {@code kind/name} (e.g. {@code intent/banking77}). Both parts are letters, digits, {@code .},
 * {@code _} or {@code -}, starting with a letter or digit.
 */
public record ModelId(String kind, String name) {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public ModelId {
        check(kind, "kind");
        check(name, "name");
    }

    /**
     * Parses {@code kind/name}.
     *
     * @throws IllegalArgumentException naming the problem if {@code text} is not of that form
     */
    public static ModelId parse(String text) {
        Objects.requireNonNull(text, "model");
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("model '" + text + "' must be written kind/name, e.g. intent/banking77");
        }
        return new ModelId(text.substring(0, slash), text.substring(slash + 1));
    }

    /** Whether {@code text} is a model id {@code kind/name} that {@link #parse} accepts. */
    public static boolean isValid(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        return slash >= 0 && PART.matcher(text.substring(0, slash)).matches()
                && PART.matcher(text.substring(slash + 1)).matches();
    }

    private static void check(String part, String field) {
        if (part == null || !PART.matcher(part).matches()) {
            throw new IllegalArgumentException("model " + field + " '" + part
                    + "' must be letters, digits, '.', '_' or '-' (starting with a letter or digit)");
        }
    }

    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
