package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Anonymization and dedupe while loading each dataset shape, and the leakage refusal of {@code train}. */
class DataPreparationTest {

    @TempDir
    Path dir;

    private static String intent(String text, String label) {
        return "{\"text\": \"" + text + "\", \"label\": \"" + label + "\"}";
    }

    @Test
    void dedupeDropsRepeatsConflictsAndTextsLeakedIntoValidationOrTest() throws Exception {
        Files.write(dir.resolve("train.jsonl"), List.of(
                intent("Where is my card?", "card_arrival"),
                intent("where is  MY card", "card_arrival"),          // repeat: case, spaces, punctuation
                intent("cancel my transfer", "cancel_transfer"),
                intent("Cancel my transfer!", "revert_transfer"),     // conflict: both dropped
                intent("my card has not arrived", "card_arrival"),
                intent("what is the exchange rate", "exchange_rate"), // also in validation: leaked
                intent("top up failed", "top_up_failed"),             // also in test: leaked
                intent("how do I top up", "top_up"),
                intent("card arrival time", "card_arrival"),
                intent("exchange rate for euros", "exchange_rate")));
        Files.write(dir.resolve("validation.jsonl"), List.of(intent("What is the exchange rate?", "exchange_rate"),
                intent("when will my card come", "card_arrival")));
        Files.write(dir.resolve("test.jsonl"), List.of(intent("Top-up failed", "top_up_failed")));

        IntentDataset raw = IntentDataset.load(dir, 0.1, 1);
        assertEquals(10, raw.train().size(), "without preparation the files are as they are");
        IntentDataset d = IntentDataset.load(dir, 0.1, 1, DataPreparation.STANDARD);
        assertEquals(List.of("Where is my card?", "my card has not arrived", "how do I top up", "card arrival time",
                "exchange rate for euros"),
                d.train().stream().map(IntentExample::text).toList(), "the first of a repeat is kept, order is kept");
        PreparationReport r = d.preparation();
        assertEquals(1, r.duplicatesDropped());
        assertEquals(2, r.leakedDropped());
        assertEquals(1, r.conflictingTexts());
        assertEquals(2, r.conflictingDropped());
        assertEquals(List.of("\"cancel my transfer\" → cancel_transfer | revert_transfer"), r.conflictExamples());
        assertEquals(2, d.validation().size(), "validation is never changed");
        assertEquals(1, d.test().size());
        assertEquals(2, r.parameters().get("leaked_dropped"));
        assertTrue(r.lines().get(1).contains("dropped 1 duplicate, 2 leaked"), r.lines().toString());
    }

    @Test
    void theValidationSplitIsTakenAfterDedupeSoNoTextStraddlesIt() throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(intent("message number " + i, "a"));
            lines.add(intent("Message number " + i + "!", "a")); // the same text again
        }
        Files.write(dir.resolve("train.jsonl"), lines);
        IntentDataset d = IntentDataset.load(dir, 0.2, 5, DataPreparation.STANDARD);
        assertEquals(30, d.preparation().duplicatesDropped());
        var trainKeys = d.train().stream().map(e -> Deduplicator.key(e.text())).toList();
        assertTrue(d.validation().stream().noneMatch(e -> trainKeys.contains(Deduplicator.key(e.text()))));
        assertEquals(30, d.train().size() + d.validation().size());
    }

    @Test
    void personalDataIsReplacedInEverySplitAndCounted() throws Exception {
        Files.write(dir.resolve("train.jsonl"), List.of(intent("send it to jane.doe@example.com please", "a"),
                intent("call me on +44 20 7946 0958 or mail jo@example.org", "b"), intent("nothing personal", "a"),
                intent("still nothing", "b")));
        Files.write(dir.resolve("test.jsonl"), List.of(intent("my card 4111 1111 1111 1111 was declined", "a")));
        IntentDataset d = IntentDataset.load(dir, 0.5, 1, DataPreparation.STANDARD);
        List<String> all = new java.util.ArrayList<>();
        d.train().forEach(e -> all.add(e.text()));
        d.validation().forEach(e -> all.add(e.text()));
        assertTrue(all.contains("send it to <EMAIL> please"), all.toString());
        assertTrue(all.contains("call me on <PHONE> or mail <EMAIL>"), all.toString());
        assertEquals("my card <CARD> was declined", d.test().getFirst().text());
        assertEquals(4, d.preparation().spansReplaced());
        assertEquals(3, d.preparation().textsAnonymized());
        assertEquals(true, d.preparation().parameters().get("anonymized"));
        IntentDataset off = IntentDataset.load(dir, 0.5, 1, new DataPreparation(false, true));
        assertEquals("my card 4111 1111 1111 1111 was declined", off.test().getFirst().text());
        assertEquals(false, off.preparation().parameters().get("anonymized"));
    }

    @Test
    void slotSpansAreRemappedAroundPlaceholdersAndPersonalDataInsideALabelIsKept() throws Exception {
        String text = "mail bob@example.com a table for 4 at 7pm, call 020 7946 0958";
        int people = text.indexOf("4 at");
        int time = text.indexOf("7pm");
        int phone = text.indexOf("020");
        Files.write(dir.resolve("train.jsonl"), List.of(
                "{\"text\": \"" + text + "\", \"entities\": [{\"start\": " + people + ", \"end\": " + (people + 1)
                        + ", \"label\": \"people\"}, {\"start\": " + time + ", \"end\": " + (time + 3) + ", \"label\": \"time\"}, "
                        + "{\"start\": " + phone + ", \"end\": " + text.length() + ", \"label\": \"phone\"}]}",
                "{\"tokens\": [\"for\", \"2\", \"people\"], \"tags\": [\"O\", \"B-people\", \"O\"]}"));
        Files.write(dir.resolve("valid.jsonl"), List.of("{\"tokens\": [\"for\", \"3\"], \"tags\": [\"O\", \"B-people\"]}"));
        SlotDataset d = SlotDataset.load(dir, 0.1, 1, DataPreparation.STANDARD, false);
        SlotExample e = d.train().getFirst();
        assertEquals("mail <EMAIL> a table for 4 at 7pm, call 020 7946 0958", e.text());
        assertEquals(List.of("4", "7pm", "020 7946 0958"), e.spans().stream().map(e::textOf).toList(),
                "spans after the placeholder moved with it; the labelled phone number stays raw");
        assertEquals(1, d.preparation().spansReplaced());
        assertEquals(1, d.preparation().spansKept());
        assertEquals(1, d.preparation().parameters().get("pii_spans_kept_in_labels"));
    }

    @Test
    void slotDedupeComparesTextsAndSlotValues() throws Exception {
        Files.write(dir.resolve("train.jsonl"), List.of(
                "{\"tokens\": [\"for\", \"2\"], \"tags\": [\"O\", \"B-people\"]}",
                "{\"text\": \"For 2\", \"entities\": [{\"start\": 4, \"end\": 5, \"label\": \"people\"}]}",
                "{\"text\": \"at 7\", \"entities\": [{\"start\": 3, \"end\": 4, \"label\": \"time\"}]}",
                "{\"text\": \"at 7\", \"entities\": [{\"start\": 3, \"end\": 4, \"label\": \"people\"}]}",
                "{\"text\": \"at 8\", \"entities\": [{\"start\": 3, \"end\": 4, \"label\": \"time\"}]}"));
        Files.write(dir.resolve("valid.jsonl"), List.of("{\"text\": \"at 9\", \"entities\": [{\"start\": 3, \"end\": 4, \"label\": \"time\"}]}"));
        SlotDataset d = SlotDataset.load(dir, 0.1, 1, DataPreparation.STANDARD, false);
        assertEquals(List.of("for 2", "at 8"), d.train().stream().map(SlotExample::text).toList());
        assertEquals(1, d.preparation().duplicatesDropped());
        assertEquals(1, d.preparation().conflictingTexts());
    }

    @Test
    void multiLabelDedupeComparesIntentSets() throws Exception {
        Path file = dir.resolve("folds.jsonl");
        Files.write(file, List.of(
                "{\"text\": \"hi there\", \"intents\": [\"a\", \"b\"], \"fold\": 0}",
                "{\"text\": \"Hi there!\", \"intents\": [\"b\", \"a\"], \"fold\": 0}",
                "{\"text\": \"bye\", \"intents\": [\"c\"], \"fold\": 0}",
                "{\"text\": \"bye now\", \"intents\": [\"c\"], \"fold\": 1}"));
        MultiLabelDataset d = MultiLabelDataset.loadFolds(file, FoldSplit.parse("0/1"), DataPreparation.STANDARD);
        assertEquals(List.of("hi there", "bye"), d.train().stream().map(MultiLabelExample::text).toList());
        assertEquals(1, d.preparation().duplicatesDropped());
    }

    @Test
    void trainRefusesAHeldOutFileThatSharesTextsWithTrainAndPrintsSourceLeakageNotes() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.write(data.resolve("train.jsonl"), List.of(intent("Play the song Yesterday", "PlayMusic"),
                intent("rate this book five stars", "RateBook"), intent("play some jazz", "PlayMusic"),
                intent("give this novel 3 points", "RateBook")));
        Files.writeString(data.resolve("SOURCE.md"), "# x\n- LEAKAGE WARNING: do not score on ../other/test.jsonl.\n");
        Path heldOut = dir.resolve("test.jsonl");
        Files.write(heldOut, List.of("{\"tokens\": [\"play\", \"the\", \"song\", \"yesterday\"], \"tags\": [\"O\", \"O\", \"O\", \"B-x\"]}",
                "{\"tokens\": [\"something\", \"else\"], \"tags\": [\"O\", \"O\"]}"));
        var run = TrainIntentCommandTest.run("train", "intent", "--data", data.toString(), "--out", dir.resolve("m").toString(),
                "--validation-fraction", "0.5", "--held-out", heldOut.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("note (" + data.resolve("SOURCE.md") + "): LEAKAGE WARNING: do not score on"), run.err());
        assertTrue(run.err().contains("error: 1 of 2 texts of --held-out " + heldOut + " also occur in the training or validation data"),
                run.err());
        assertFalse(Files.exists(dir.resolve("m")), "nothing is written");
    }
}
