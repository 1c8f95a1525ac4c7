package dev.switchboard.models;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E-mail addresses; value = the address lower-cased. A trailing sentence dot is not part of it. */
final class EmailRecognizer implements Recognizer {

    // Pragmatic subset of RFC 5322: dot-atom local part, dotted host with an alphabetic TLD.
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9_%+-])[A-Za-z0-9_%+-](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?"
                    + "@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
                    + "\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])");

    private static final double CONFIDENCE = 0.99;

    @Override
    public String type() {
        return Entity.EMAIL;
    }

    @Override
    public void find(String text, LocalDate today, List<Entity> out) {
        Matcher m = EMAIL.matcher(text);
        while (m.find()) {
            String value = m.group().toLowerCase(Locale.ROOT);
            out.add(Recognizer.entity(type(), text, m.start(), m.end(), value, CONFIDENCE));
        }
    }
}
