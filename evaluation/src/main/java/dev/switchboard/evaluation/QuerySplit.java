package dev.switchboard.evaluation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Splits queries into two halves by a seeded hash of their id, so that a configuration can be tuned
 * on {@link #DEV} and reported on {@link #TEST}: query q is in DEV iff the first byte of
 * {@code SHA-256("<seed>:<q.id>")} is even. The split of a query never depends on the other queries.
 */
enum QuerySplit {
    DEV, TEST, ALL;

    static QuerySplit parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "dev" -> DEV;
            case "test" -> TEST;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("--queries-split must be dev, test or all, got '" + s + "'");
        };
    }

    /** Whether the query with this id belongs to this split under {@code seed}. */
    boolean contains(long seed, String queryId) {
        return this == ALL || (this == DEV) == isDev(seed, queryId);
    }

    static boolean isDev(long seed, String queryId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((seed + ":" + queryId).getBytes(StandardCharsets.UTF_8));
            return (h[0] & 1) == 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
