package dev.switchboard.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the citation markers of a model's reply. The model cites the prompt's numbering ([3] = the
 * third passage); the answer renumbers them by first appearance so that [k] is the k-th entry of
 * {@link GeneratedAnswer#citedPassageIds()}. "[1, 3]" and "[1][3]" are both understood; numbers
 * outside 1..passages are ignored and a marker with no valid number is removed from the text.
 */
final class Citations {

    private static final Pattern MARKER = Pattern.compile("(\\s?)\\[\\s*(\\d{1,4}(?:\\s*,\\s*\\d{1,4})*)\\s*]");

    private Citations() {
    }

    /** The reply with renumbered markers, and the cited passage ids in marker order. */
    record Cited(String text, List<String> passageIds) {
    }

    static Cited renumber(String reply, List<Passage> passages) {
        Map<Integer, Integer> newNumber = new LinkedHashMap<>();
        Matcher m = MARKER.matcher(reply);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            List<Integer> numbers = new ArrayList<>();
            for (String n : m.group(2).split(",")) {
                int promptNumber = Integer.parseInt(n.strip());
                if (promptNumber >= 1 && promptNumber <= passages.size()) {
                    int k = newNumber.computeIfAbsent(promptNumber, x -> newNumber.size() + 1);
                    if (!numbers.contains(k)) {
                        numbers.add(k);
                    }
                }
            }
            String replacement = numbers.isEmpty() ? ""
                    : m.group(1) + "[" + String.join(", ", numbers.stream().map(String::valueOf).toList()) + "]";
            m.appendReplacement(text, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(text);
        List<String> ids = newNumber.keySet().stream().map(n -> passages.get(n - 1).id()).toList();
        return new Cited(text.toString(), ids);
    }
}
