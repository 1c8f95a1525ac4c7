package dev.switchboard.models;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in free text by typed placeholders before the text is trained on or logged.
 * Immutable and thread-safe.
 *
 * <p>What is replaced, and by what (the first matching rule wins where spans overlap):
 * <ol>
 *   <li>IBANs: two letters, two check digits and 11–30 letters or digits (spaces allowed between groups of
 *       four) whose ISO 13616 mod-97 check equals 1 → {@value #IBAN};</li>
 *   <li>card numbers: 13–19 digits, optionally grouped by single spaces or dashes, that pass the Luhn
 *       check → {@value #CARD};</li>
 *   <li>e-mail addresses → {@value #EMAIL};</li>
 *   <li>phone numbers: an optional {@code +}, then digits with spaces, dots, dashes or one pair of
 *       parentheses, 9–15 digits in all (7–15 after a {@code +}) → {@value #PHONE}.</li>
 * </ol>
 * The digit thresholds keep amounts, dates ({@code 2026-11-22} has 8 digits), card tails and order ids
 * intact: those are what a support bot needs. A 13–19 digit run that fails Luhn is still a phone-like
 * number when it has at most 15 digits, and is otherwise left alone (an account reference, most likely).
 */
public final class PiiAnonymizer {

    /** Placeholder of an IBAN. */
    public static final String IBAN = "<IBAN>";
    /** Placeholder of a payment card number. */
    public static final String CARD = "<CARD>";
    /** Placeholder of an e-mail address. */
    public static final String EMAIL = "<EMAIL>";
    /** Placeholder of a phone number. */
    public static final String PHONE = "<PHONE>";

    private static final Pattern IBAN_PATTERN =
            Pattern.compile("\\b[A-Za-z]{2}\\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\\b");
    private static final Pattern CARD_PATTERN = Pattern.compile("(?<![\\w-])\\d(?:[ -]?\\d){12,18}(?![\\w-])");
    private static final Pattern EMAIL_PATTERN =
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern PHONE_PATTERN =
            Pattern.compile("(?<![\\w+])(\\+)?(?:\\(\\d{1,5}\\)[ .-]?)?\\d(?:[ .-]?\\d){5,16}(?![\\w])");

    private static final PiiAnonymizer INSTANCE = new PiiAnonymizer();

    /** A piece of personal data found in a text: {@code [start, end)} in UTF-16 chars. */
    public record Span(int start, int end, String placeholder) {
        public Span {
            Objects.requireNonNull(placeholder, "placeholder");
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("span must satisfy 0 <= start < end, got [" + start + ", " + end + ")");
            }
        }
    }

    private PiiAnonymizer() {
    }

    /** The anonymizer (it has no configuration). */
    public static PiiAnonymizer standard() {
        return INSTANCE;
    }

    /** {@code text} with every span of {@link #find} replaced by its placeholder. */
    public String anonymize(String text) {
        Objects.requireNonNull(text, "text");
        List<Span> spans = find(text);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Span s : spans) {
            out.append(text, at, s.start()).append(s.placeholder());
            at = s.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** The personal data in {@code text}, sorted by start, never overlapping. */
    public List<Span> find(String text) {
        Objects.requireNonNull(text, "text");
        List<Span> found = new ArrayList<>();
        Matcher m = IBAN_PATTERN.matcher(text);
        while (m.find()) {
            if (validIban(m.group())) {
                addIfFree(found, new Span(m.start(), m.end(), IBAN));
            }
        }
        m = CARD_PATTERN.matcher(text);
        while (m.find()) {
            if (luhn(digits(m.group()))) {
                addIfFree(found, new Span(m.start(), m.end(), CARD));
            }
        }
        m = EMAIL_PATTERN.matcher(text);
        while (m.find()) {
            addIfFree(found, new Span(m.start(), m.end(), EMAIL));
        }
        m = PHONE_PATTERN.matcher(text);
        while (m.find()) {
            int n = digits(m.group()).length();
            if (n <= 15 && n >= (m.group(1) != null ? 7 : 9)) {
                addIfFree(found, new Span(m.start(), m.end(), PHONE));
            }
        }
        found.sort(Comparator.comparingInt(Span::start));
        return List.copyOf(found);
    }

    private static void addIfFree(List<Span> found, Span candidate) {
        for (Span s : found) {
            if (candidate.start() < s.end() && s.start() < candidate.end()) {
                return;
            }
        }
        found.add(candidate);
    }

    private static String digits(String s) {
        StringBuilder d = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                d.append(s.charAt(i));
            }
        }
        return d.toString();
    }

    /** A card number: at least 13 digits passing the Luhn check ({@link CardTailRecognizer#luhnValid}). */
    static boolean luhn(String digits) {
        return digits.length() >= 13 && CardTailRecognizer.luhnValid(digits);
    }

    /** ISO 13616: move the first four characters to the end, letters → 10..35, the number mod 97 is 1. */
    static boolean validIban(String candidate) {
        String iban = candidate.replace(" ", "").toUpperCase(Locale.ROOT);
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder();
        for (int i = 0; i < rearranged.length(); i++) {
            numeric.append(Character.getNumericValue(rearranged.charAt(i)));
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }
}
