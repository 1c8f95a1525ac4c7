package dev.switchboard.models;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Order identifiers; value = the id upper-cased (dashes kept, a leading '#' dropped). Recognised:
 * <ul>
 *   <li>after a keyword: "order #A12-3456", "order number 98765432", "order no. 5512", "order ID:
 *       x-77", "booking reference AB1234", "my order is 12345678": span = the id. The id has 4-40
 *       letters, digits and inner dashes with at least one digit; without a marker ('#', ':',
 *       number, no, id, ref, reference, code) it needs at least 6 chars, so "order 1000 units" is not
 *       an order id;</li>
 *   <li>standalone ids with the ORD/ORDER prefix: "ORD-2024-0042", "ord_77812", "ORD123456".</li>
 * </ul>
 */
final class OrderIdRecognizer implements Recognizer {

    private static final String ID = "([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?![\\w-])";
    private static final Pattern AFTER_KEYWORD = Pattern.compile(
            "\\b(?:order|booking|reservation|purchase)\\b"
                    + "(\\s+(?:number|no\\.?|nr\\.?|num|id|ref(?:erence)?\\.?|code))?"
                    + "(?:\\s+(?:is|was))?\\s*([:#])?\\s*(#)?\\s*" + ID,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern STANDALONE = Pattern.compile(
            "(?<![\\w-])ORD(?:ER)?(?:[-_]|(?=\\d))[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*(?![\\w-])",
            Pattern.CASE_INSENSITIVE);

    private static final int MIN_LENGTH = 4;
    private static final int MIN_LENGTH_WITHOUT_MARKER = 6;
    private static final int MAX_LENGTH = 40;
    private static final double WITH_MARKER = 0.9;
    private static final double WITHOUT_MARKER = 0.75;
    private static final double PREFIXED = 0.95;

    @Override
    public String type() {
        return Entity.ORDER_ID;
    }

    @Override
    public void find(String text, LocalDate today, List<Entity> out) {
        Matcher m = AFTER_KEYWORD.matcher(text);
        while (m.find()) {
            String id = m.group(4);
            boolean marker = m.group(1) != null || m.group(2) != null || m.group(3) != null;
            int min = marker ? MIN_LENGTH : MIN_LENGTH_WITHOUT_MARKER;
            if (id.length() >= min && id.length() <= MAX_LENGTH && hasDigit(id)) {
                out.add(Recognizer.entity(type(), text, m.start(4), m.end(4), id.toUpperCase(Locale.ROOT),
                        marker ? WITH_MARKER : WITHOUT_MARKER));
            }
        }
        m = STANDALONE.matcher(text);
        while (m.find()) {
            if (m.group().length() <= MAX_LENGTH && hasDigit(m.group())) {
                out.add(Recognizer.entity(type(), text, m.start(), m.end(), m.group().toUpperCase(Locale.ROOT), PREFIXED));
            }
        }
    }

    private static boolean hasDigit(String s) {
        return s.chars().anyMatch(Character::isDigit);
    }
}
