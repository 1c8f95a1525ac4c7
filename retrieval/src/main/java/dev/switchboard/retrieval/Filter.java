package dev.switchboard.retrieval;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * A metadata condition a hit must meet. Filters of one {@link SearchRequest} are AND-ed; they
 * restrict the candidates before ranking (BM25 and vector search both see only matching chunks).
 *
 * <p>Fields: {@code document_id}, {@code source}, {@code tags} (a chunk matches if any of its
 * document's tags matches), {@code updated_at} (only with {@link DateRange}), or the name of any
 * {@link Document#metadata()} key.
 */
public sealed interface Filter {

    /** The field this filter reads. */
    String field();

    /** {@code field == value}, exactly (case-sensitive). */
    record Equals(String field, String value) implements Filter {
        public Equals {
            requireField(field);
            Objects.requireNonNull(value, "filter value must not be null");
        }
    }

    /** {@code field ∈ values}. */
    record AnyOf(String field, Set<String> values) implements Filter {
        public AnyOf {
            requireField(field);
            Objects.requireNonNull(values, "filter values must not be null");
            if (values.isEmpty()) {
                throw new IllegalArgumentException("filter on '" + field + "' needs at least one value");
            }
            values = Set.copyOf(values);
        }
    }

    /** {@code from <= field < to}; a null bound is open. Only {@code updated_at} is a date field. */
    record DateRange(String field, Instant from, Instant to) implements Filter {
        public DateRange {
            requireField(field);
            if (from == null && to == null) {
                throw new IllegalArgumentException("date range on '" + field + "' needs a from or a to bound");
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("date range on '" + field + "' is empty: from " + from + " is not before to " + to);
            }
        }
    }

    static Filter equalTo(String field, String value) {
        return new Equals(field, value);
    }

    static Filter anyOf(String field, Collection<String> values) {
        return new AnyOf(field, Set.copyOf(values));
    }

    static Filter updatedBetween(Instant from, Instant to) {
        return new DateRange(Document.UPDATED_AT, from, to);
    }

    private static void requireField(String field) {
        Objects.requireNonNull(field, "filter field must not be null");
        if (field.isBlank()) {
            throw new IllegalArgumentException("filter field must not be blank");
        }
    }
}
