package dev.switchboard.models;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calendar days; value {@code yyyy-MM-dd}. Recognised forms:
 * <ul>
 *   <li>ISO {@code 2026-11-22} (also {@code 2026/11/22});</li>
 *   <li>numeric day first: {@code 22/11/2026}, {@code 22.11.2026}, {@code 22-11-2026}, two-digit years
 *       as 20yy ({@code 22/11/26}). US month-first dates are therefore read day first;</li>
 *   <li>month names (English, full or 3-4 letter abbreviation, optional dot): {@code Nov 3},
 *       {@code November 3rd, 2025}, {@code 3 March}, {@code 3rd of March 2025}, {@code July the 20th}.
 *       Without a year the occurrence nearest to the reference date is taken (ties go to the future):
 *       on 2027-01-05 "Dec 20" is 2026-12-20, on 2026-12-28 "Jan 3" is 2027-01-03. The month "may"
 *       must be capitalised ("May") since lower-case "may" is a verb;</li>
 *   <li>relative to the reference date: {@code today}, {@code tonight}, {@code this morning}, {@code yesterday},
 *       {@code last night}, {@code tomorrow}, {@code the day before yesterday},
 *       {@code the day after tomorrow}, {@code last Monday} (the latest Monday strictly before the
 *       reference date), {@code next Monday} (the Monday of the following Monday-to-Sunday week, as
 *       annotated in NLU++: on a Tuesday "next Saturday" is 11 days ahead), {@code 3 days ago},
 *       {@code a week ago}, {@code 2 months ago}, {@code in 7 days}, {@code in a fortnight}.</li>
 * </ul>
 * Impossible dates (31/02/2026) are not entities. Bare weekdays ("on Monday"), bare ordinals ("the
 * 16th"), months alone ("in April") and periods ("last week") are ambiguous and not recognised.
 */
final class DateRecognizer implements Recognizer {

    private static final String MONTH = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            + "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\b\\.?";
    private static final String DAY = "(\\d{1,2})(?:st|nd|rd|th)?\\b";
    private static final String YEAR = "(?:(?:,\\s*|\\s+)(\\d{4})(?!\\d))?";
    private static final int FLAGS = Pattern.CASE_INSENSITIVE;

    private static final Pattern ISO = Pattern.compile(
            "(?<![\\w\\-/.])(\\d{4})([-/])(\\d{1,2})\\2(\\d{1,2})(?:(?=T\\d)|(?![\\w\\-/]|\\.\\d))");
    private static final Pattern DAY_FIRST = Pattern.compile(
            "(?<![\\w\\-/.])(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![\\w\\-/]|\\.\\d)");
    private static final Pattern MONTH_DAY = Pattern.compile(
            "(?<![\\w\\-])" + MONTH + "\\s+(?:the\\s+)?" + DAY + "(?!:\\d)" + YEAR, FLAGS);
    private static final Pattern DAY_MONTH = Pattern.compile(
            "(?<![\\w\\-/.])" + DAY + "\\s+(?:of\\s+)?" + MONTH + YEAR, FLAGS);
    private static final Pattern RELATIVE_WORD = Pattern.compile(
            "\\b(?:((?:the\\s+)?day\\s+before\\s+yesterday)|((?:the\\s+)?day\\s+after\\s+tomorrow)"
                    + "|(yesterday|last\\s+night)|(today|tonight|this\\s+(?:morning|afternoon|evening))|(tomorrow))\\b", FLAGS);
    private static final Pattern RELATIVE_WEEKDAY = Pattern.compile(
            "\\b(last|next)\\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b", FLAGS);
    private static final Pattern OFFSET = Pattern.compile(
            "\\b(?:(in)\\s+)?(\\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\\s+(day|week|fortnight|month)s?(\\s+ago)?\\b", FLAGS);

    private static final Map<String, Integer> SMALL_NUMBERS = Map.ofEntries(
            Map.entry("a", 1), Map.entry("an", 1), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
            Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10));

    private static final double ISO_CONFIDENCE = 0.97;
    private static final double MONTH_NAME_WITH_YEAR = 0.95;
    private static final double MONTH_NAME_NO_YEAR = 0.85;
    private static final double RELATIVE = 0.9;
    // Day-first is a guess for US writers (11/03/2026 may mean March 11th or November 3rd).
    private static final double DAY_FIRST_CONFIDENCE = 0.8;
    private static final double TWO_DIGIT_YEAR = 0.7;

    @Override
    public String type() {
        return Entity.DATE;
    }

    @Override
    public void find(String text, LocalDate today, List<Entity> out) {
        Matcher m = ISO.matcher(text);
        while (m.find()) {
            add(text, m.start(), m.end(), date(m.group(1), m.group(3), m.group(4)), ISO_CONFIDENCE, out);
        }
        m = DAY_FIRST.matcher(text);
        while (m.find()) {
            String year = m.group(4).length() == 2 ? "20" + m.group(4) : m.group(4);
            double confidence = m.group(4).length() == 2 ? TWO_DIGIT_YEAR : DAY_FIRST_CONFIDENCE;
            add(text, m.start(), m.end(), date(year, m.group(3), m.group(1)), confidence, out);
        }
        m = MONTH_DAY.matcher(text);
        while (m.find()) {
            addNamed(text, m, m.group(1), m.group(2), m.group(3), today, out);
        }
        m = DAY_MONTH.matcher(text);
        while (m.find()) {
            addNamed(text, m, m.group(2), m.group(1), m.group(3), today, out);
        }
        findRelative(text, today, out);
    }

    private void findRelative(String text, LocalDate today, List<Entity> out) {
        Matcher m = RELATIVE_WORD.matcher(text);
        while (m.find()) {
            int offset = m.group(1) != null ? -2 : m.group(2) != null ? 2 : m.group(3) != null ? -1 : m.group(4) != null ? 0 : 1;
            String matched = m.group().toLowerCase(Locale.ROOT);
            int start = m.start() + (matched.startsWith("the") ? matched.indexOf("day") : 0);
            add(text, start, m.end(), today.plusDays(offset), RELATIVE, out);
        }
        m = RELATIVE_WEEKDAY.matcher(text);
        while (m.find()) {
            DayOfWeek day = DayOfWeek.valueOf(m.group(2).toUpperCase(Locale.ROOT));
            LocalDate date = m.group(1).equalsIgnoreCase("last")
                    ? today.with(TemporalAdjusters.previous(day))
                    : today.plusWeeks(1).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                            .with(TemporalAdjusters.nextOrSame(day));
            add(text, m.start(), m.end(), date, RELATIVE, out);
        }
        m = OFFSET.matcher(text);
        while (m.find()) {
            boolean ago = m.group(4) != null;
            boolean in = m.group(1) != null;
            if (ago == in) {
                continue; // "3 days" is a duration, "in 3 days ago" is nonsense
            }
            String n = m.group(2).toLowerCase(Locale.ROOT);
            int amount = SMALL_NUMBERS.containsKey(n) ? SMALL_NUMBERS.get(n) : Integer.parseInt(n);
            int signed = ago ? -amount : amount;
            String unit = m.group(3).toLowerCase(Locale.ROOT);
            LocalDate date = switch (unit) {
                case "day" -> today.plusDays(signed);
                case "week" -> today.plusWeeks(signed);
                case "fortnight" -> today.plusWeeks(2L * signed);
                default -> today.plusMonths(signed);
            };
            add(text, m.start(), m.end(), date, RELATIVE, out);
        }
    }

    private void addNamed(String text, Matcher m, String monthName, String day, String year, LocalDate today,
                          List<Entity> out) {
        if (monthName.equals("may")) {
            return; // the verb, as in "you may 2 times"
        }
        int month = monthNumber(monthName);
        LocalDate date = year != null
                ? date(year, String.valueOf(month), day)
                : nearest(today, month, Integer.parseInt(day));
        add(text, m.start(), m.end(), date, year != null ? MONTH_NAME_WITH_YEAR : MONTH_NAME_NO_YEAR, out);
    }

    private void add(String text, int start, int end, LocalDate date, double confidence, List<Entity> out) {
        if (date != null) {
            out.add(Recognizer.entity(type(), text, start, end, date.toString(), confidence));
        }
    }

    private static int monthNumber(String name) {
        String prefix = name.substring(0, 3).toLowerCase(Locale.ROOT);
        int index = "janfebmaraprmayjunjulaugsepoctnovdec".indexOf(prefix);
        return index / 3 + 1;
    }

    /** The existing {@code month}/{@code day} nearest to {@code today}, the later one on ties; null if none. */
    private static LocalDate nearest(LocalDate today, int month, int day) {
        LocalDate best = null;
        for (int year = today.getYear() - 1; year <= today.getYear() + 1; year++) {
            LocalDate candidate = date(String.valueOf(year), String.valueOf(month), String.valueOf(day));
            if (candidate != null && (best == null
                    || Math.abs(ChronoUnit.DAYS.between(today, candidate)) <= Math.abs(ChronoUnit.DAYS.between(today, best)))) {
                best = candidate;
            }
        }
        return best;
    }

    /** The date, or null when it does not exist (31 February, month 13). */
    private static LocalDate date(String year, String month, String day) {
        try {
            return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
