package dev.switchboard.retrieval;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Turns a request's {@link Filter}s into one Lucene query that matches the chunks meeting all of them
 * (see {@link ChunkFields} for the fields).
 *
 * <ul>
 *   <li>{@code document_id}, {@code source}, {@code tags}, {@code collection}: the keyword field of that
 *       name; any other field is a metadata key, read from {@code meta.<key>}.</li>
 *   <li>{@link Filter.DateRange} only on {@code updated_at}: {@code from <= updatedAt < to} in
 *       milliseconds; {@code updated_at} takes no other filter.</li>
 *   <li>{@code title}, {@code section} and {@code text} are analysed text: no filter can use them.</li>
 * </ul>
 */
final class FilterQueries {

    private static final Set<String> KEYWORD_FIELDS = Set.of(
            ChunkFields.DOCUMENT_ID, ChunkFields.SOURCE, ChunkFields.TAGS, ChunkFields.COLLECTION);
    private static final Set<String> TEXT_FIELDS = Set.of(ChunkFields.TITLE, ChunkFields.SECTION, ChunkFields.TEXT);

    private FilterQueries() {
    }

    /**
     * The conjunction of {@code filters}, or null when there are none.
     *
     * @throws IllegalArgumentException for a filter no field can answer (a date range on a field other
     *                                  than updated_at, a value filter on updated_at, a text field)
     */
    static Query of(List<Filter> filters) {
        if (filters.isEmpty()) {
            return null;
        }
        if (filters.size() == 1) {
            return query(filters.get(0));
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (Filter f : filters) {
            all.add(query(f), BooleanClause.Occur.FILTER);
        }
        return all.build();
    }

    private static Query query(Filter filter) {
        return switch (filter) {
            case Filter.Equals e -> new TermQuery(new Term(keywordField(e.field()), e.value()));
            case Filter.AnyOf a -> new TermInSetQuery(keywordField(a.field()),
                    a.values().stream().sorted().map(BytesRef::new).toList());
            case Filter.DateRange r -> dateRange(r);
        };
    }

    private static String keywordField(String field) {
        if (field.equals(ChunkFields.UPDATED_AT)) {
            throw new IllegalArgumentException("filter on '" + field + "' must be a date range");
        }
        if (TEXT_FIELDS.contains(field)) {
            throw new IllegalArgumentException("cannot filter on '" + field + "' (analysed text): filter on "
                    + "document_id, source, tags, updated_at, collection or a metadata key");
        }
        return KEYWORD_FIELDS.contains(field) ? field : ChunkFields.META_PREFIX + field;
    }

    private static Query dateRange(Filter.DateRange r) {
        if (!r.field().equals(ChunkFields.UPDATED_AT)) {
            throw new IllegalArgumentException("date range filters work on '" + ChunkFields.UPDATED_AT
                    + "' only, not on '" + r.field() + "'");
        }
        // Stored times are whole milliseconds: t >= from  ⟺  t >= ceil(from); t < to  ⟺  t <= ceil(to) - 1.
        long lower = r.from() == null ? Long.MIN_VALUE : ceilMillis(r.from());
        long upper = r.to() == null ? Long.MAX_VALUE : ceilMillis(r.to()) - 1;
        if (r.to() != null && upper == Long.MAX_VALUE) {
            return new MatchNoDocsQuery("updated_at before " + r.to()); // ceilMillis(to) underflowed
        }
        return LongPoint.newRangeQuery(ChunkFields.UPDATED_AT, lower, upper);
    }

    private static long ceilMillis(Instant t) {
        try {
            return Math.addExact(t.toEpochMilli(), t.getNano() % 1_000_000 == 0 ? 0 : 1);
        } catch (ArithmeticException e) {
            return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE; // beyond any stored time
        }
    }
}
