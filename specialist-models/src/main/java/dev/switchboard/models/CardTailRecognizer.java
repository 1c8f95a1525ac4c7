package dev.switchboard.models;

import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last four digits of a payment card; value = those four digits. Recognised forms:
 * <ul>
 *   <li>"(card) ending (in|with) 4821", "ends in 4821": span = the digits;</li>
 *   <li>"last four digits 4821", "last 4 digits of my card are 4821": span = the digits;</li>
 *   <li>a masked number "**** 4821", "XXXX-XXXX-XXXX-4821", "••4821": span = the masked number;</li>
 *   <li>a full card number (13-19 digits, optionally grouped by spaces or dashes) that passes the
 *       Luhn check: span = the number, value = its last four digits only (a long phone number
 *       that happens to pass the check is taken for a card: safe for masking).</li>
 * </ul>
 * A bare "ending in 2025" without a card word (card, visa, mastercard, amex, debit, credit,
 * account) in the 40 chars before it is not a card when the digits look like a year (19xx, 20xx).
 */
final class CardTailRecognizer implements Recognizer {

    private static final Pattern ENDING = Pattern.compile(
            "\\b(?:end(?:s|ing|ed)?)(?:\\s+(?:in|with))?\\s*[:#]?\\s*(\\d{4})(?![\\d.,]\\d|\\d)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LAST_FOUR = Pattern.compile(
            "\\blast\\s+(?:four|4)(?:\\s+digits?|\\s+numbers?)?"
                    + "(?:\\s+(?:of\\s+(?:my|the|your|this)\\s+(?:card|visa|mastercard|amex|account)|are|is|were|was))*"
                    + "\\s*[:=#-]?\\s*(\\d{4})(?![\\d.,]\\d|\\d)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MASKED = Pattern.compile(
            "(?<![\\w*•])(?:(?:[*•xX]{4}[ -]?){1,3}|[*•]{4,16}[ -]?)(\\d{4})(?!\\d)");
    private static final Pattern FULL_NUMBER = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d])");
    private static final Pattern CARD_CONTEXT = Pattern.compile(
            "\\b(?:card|visa|mastercard|amex|debit|credit|account)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern YEAR_LIKE = Pattern.compile("(?:19|20)\\d\\d");
    private static final int CONTEXT_CHARS = 40;

    private static final double WITH_CARD_CONTEXT = 0.95;
    private static final double WITHOUT_CARD_CONTEXT = 0.7;
    private static final double MASKED_CONFIDENCE = 0.95;
    private static final double LUHN_VALID = 0.9;

    @Override
    public String type() {
        return Entity.CARD_TAIL;
    }

    @Override
    public void find(String text, LocalDate today, List<Entity> out) {
        Matcher m = ENDING.matcher(text);
        while (m.find()) {
            boolean card = CARD_CONTEXT.matcher(text.substring(Math.max(0, m.start() - CONTEXT_CHARS), m.start())).find();
            if (!card && YEAR_LIKE.matcher(m.group(1)).matches()) {
                continue;
            }
            addDigits(text, m, card ? WITH_CARD_CONTEXT : WITHOUT_CARD_CONTEXT, out);
        }
        m = LAST_FOUR.matcher(text);
        while (m.find()) {
            addDigits(text, m, WITH_CARD_CONTEXT, out);
        }
        m = MASKED.matcher(text);
        while (m.find()) {
            out.add(Recognizer.entity(type(), text, m.start(), m.end(), m.group(1), MASKED_CONFIDENCE));
        }
        m = FULL_NUMBER.matcher(text);
        while (m.find()) {
            String digits = m.group().replaceAll("[ -]", "");
            if (luhnValid(digits)) {
                out.add(Recognizer.entity(type(), text, m.start(), m.end(), digits.substring(digits.length() - 4), LUHN_VALID));
            }
        }
    }

    private void addDigits(String text, Matcher m, double confidence, List<Entity> out) {
        out.add(Recognizer.entity(type(), text, m.start(1), m.end(1), m.group(1), confidence));
    }

    /** The Luhn (mod 10) check digit test that every payment card number passes. */
    static boolean luhnValid(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
