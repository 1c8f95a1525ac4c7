package dev.switchboard.models;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amounts with a currency: a symbol or ISO code before ("$20", "€ 15.50", "GBP 1,200", "£3.2k",
 * "$30 CAD" where the trailing code wins) or a
 * symbol, code or word after ("15,50 EUR", "40€", "20 dollars", "100 pounds"). A number without a
 * currency is never money.
 *
 * <p>Value: {@code "<amount> <ISO 4217 code>"} with exactly two decimals, rounded half-up, no
 * grouping ({@code "1200.00 GBP"}). Numbers: a single separator followed by exactly three digits
 * groups thousands ("1,200", "1.200"), followed by one or two digits it is the decimal point
 * ("15,50", "15.50"); with both separators the last one is the decimal point ("1.200,50"). A
 * directly attached {@code k}/{@code m} or a following "thousand"/"million" multiplies by 10³/10⁶
 * ("a thousand pounds" → {@code 1000.00 GBP}).
 */
final class MoneyRecognizer implements Recognizer {

    // Groups: the number ("a"/"one" only count before thousand/million), then its multiplier.
    private static final String NUMBER = "(\\d{1,3}(?:,\\d{3})+(?:\\.\\d{1,2})?|\\d{1,3}(?:\\.\\d{3})+(?:,\\d{1,2})?"
            + "|\\d+(?:[.,]\\d{1,2})?|an?|one)(?!\\d|[.,]\\d)(?:([km])|[ \\u00A0]+(thousand|million)\\b)?";
    private static final String CODES = "USD|EUR|GBP|CAD|AUD|CHF|NZD";
    private static final String SYMBOLS = "US\\$|CA?\\$|AU?\\$|\\$|€|£";
    private static final String WORDS = "dollars?|bucks?|euros?|pounds?(?:\\s+sterling)?|quid";

    private static final Pattern PREFIXED = Pattern.compile(
            "(?<![A-Za-z])(" + SYMBOLS + "|" + CODES + ")[ \\u00A0]?" + NUMBER
                    + "(?:[ \\u00A0]?(" + CODES + "))?(?![A-Za-z0-9])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SUFFIXED = Pattern.compile(
            "(?<![\\d.,A-Za-z])" + NUMBER + "[ \\u00A0]?(" + SYMBOLS + "|" + CODES + "|" + WORDS + ")(?![A-Za-z])",
            Pattern.CASE_INSENSITIVE);

    private static final double SYMBOL_OR_CODE = 0.95;
    private static final double CURRENCY_WORD = 0.9;
    // "pounds" is also a weight, "bucks" and "quid" are slang.
    private static final double AMBIGUOUS_WORD = 0.8;

    @Override
    public String type() {
        return Entity.MONEY;
    }

    @Override
    public void find(String text, LocalDate today, List<Entity> out) {
        Matcher m = PREFIXED.matcher(text);
        while (m.find()) {
            // "$30 CAD": a trailing code is more precise than the dollar sign
            String currency = m.group(5) != null ? m.group(5) : m.group(1);
            add(text, m.start(), m.end(), m.group(2), m.group(3) != null ? m.group(3) : m.group(4), currency, out);
        }
        m = SUFFIXED.matcher(text);
        while (m.find()) {
            add(text, m.start(), m.end(), m.group(1), m.group(2) != null ? m.group(2) : m.group(3), m.group(4), out);
        }
    }

    private void add(String text, int start, int end, String number, String multiplier, String currency,
                     List<Entity> out) {
        boolean word = Character.isLetter(number.charAt(0));
        if (word && multiplier == null) {
            return; // "a pound of flour"
        }
        String c = currency.toLowerCase(Locale.ROOT);
        String code = currencyCode(c);
        BigDecimal amount = word ? BigDecimal.ONE : parseAmount(number);
        if (multiplier != null) {
            amount = amount.multiply(multiplier.toLowerCase(Locale.ROOT).startsWith("k")
                    || multiplier.equalsIgnoreCase("thousand") ? BigDecimal.valueOf(1_000) : BigDecimal.valueOf(1_000_000));
        }
        String value = amount.setScale(2, RoundingMode.HALF_UP).toPlainString() + " " + code;
        double confidence = c.startsWith("pound") || c.startsWith("buck") || c.equals("quid")
                ? AMBIGUOUS_WORD
                : Character.isLetter(c.charAt(0)) && c.length() > 3 ? CURRENCY_WORD : SYMBOL_OR_CODE;
        out.add(Recognizer.entity(type(), text, start, end, value, confidence));
    }

    private static String currencyCode(String c) {
        if (c.startsWith("dollar") || c.startsWith("buck") || c.equals("$") || c.equals("us$")) {
            return "USD";
        }
        if (c.startsWith("euro") || c.equals("€")) {
            return "EUR";
        }
        if (c.startsWith("pound") || c.equals("quid") || c.equals("£")) {
            return "GBP";
        }
        if (c.equals("c$") || c.equals("ca$")) {
            return "CAD";
        }
        if (c.equals("a$") || c.equals("au$")) {
            return "AUD";
        }
        return c.toUpperCase(Locale.ROOT);
    }

    /** Parses a number matched by {@link #NUMBER} (see the class javadoc for the separator rules). */
    static BigDecimal parseAmount(String raw) {
        int lastDot = raw.lastIndexOf('.');
        int lastComma = raw.lastIndexOf(',');
        String plain;
        if (lastDot >= 0 && lastComma >= 0) {
            char decimal = lastDot > lastComma ? '.' : ',';
            char group = decimal == '.' ? ',' : '.';
            plain = raw.replace(String.valueOf(group), "").replace(decimal, '.');
        } else if (lastDot >= 0 || lastComma >= 0) {
            char sep = lastDot >= 0 ? '.' : ',';
            int last = Math.max(lastDot, lastComma);
            boolean grouping = raw.indexOf(sep) != last || raw.length() - last - 1 == 3;
            plain = grouping ? raw.replace(String.valueOf(sep), "") : raw.replace(sep, '.');
        } else {
            plain = raw;
        }
        return new BigDecimal(plain);
    }
}
