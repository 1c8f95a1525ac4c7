package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.HashedNgrams;
import dev.switchboard.models.NgramHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NgramTrainerTest {

    /** Label = which keyword the text contains, among random filler words. */
    private static List<String> texts(int n, Random r, List<Integer> labels) {
        String[] keys = {"refund", "transfer", "pin"};
        String[] filler = {"please", "my", "the", "help", "now", "account", "today", "i", "need", "a"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(keys.length);
            labels.add(k);
            StringBuilder s = new StringBuilder();
            int at = r.nextInt(5);
            for (int w = 0; w < 5; w++) {
                s.append(w == at ? keys[k] : filler[r.nextInt(filler.length)]).append(' ');
            }
            out.add(s.toString().strip());
        }
        return out;
    }

    @Test
    void learnsAKeywordTaskKeepsTheBestEpochAndIsReproducible() {
        Random r = new Random(3);
        List<Integer> ty = new ArrayList<>();
        List<Integer> vy = new ArrayList<>();
        List<String> train = texts(150, r, ty);
        List<String> valid = texts(60, r, vy);
        int[] trainY = ty.stream().mapToInt(Integer::intValue).toArray();
        int[] validY = vy.stream().mapToInt(Integer::intValue).toArray();
        List<String> lines = new ArrayList<>();
        HashedNgrams f = HashedNgrams.withBits(10);
        NgramTrainer.Result result = new NgramTrainer(5, 0.1, 8, 2).train(f, train, trainY, valid, validY, 3, lines::add);
        assertEquals(result.epochsRun(), lines.size());
        assertTrue(result.bestEpoch() >= 1 && result.bestEpoch() <= result.epochsRun());
        NgramHead head = result.head();
        int right = 0;
        float[][] z = new float[valid.size()][];
        for (int i = 0; i < valid.size(); i++) {
            z[i] = head.logits(valid.get(i));
            right += Scores.argmax(new float[][] {z[i]})[0] == validY[i] ? 1 : 0;
        }
        assertEquals(1.0, (double) right / valid.size(), 1e-12, "the keyword decides");
        assertEquals(result.validationLoss(), IntentTrainer.nll(z, validY, 1), 1e-5, "the kept head is the best epoch's");
        NgramHead again = new NgramTrainer(5, 0.1, 8, 2).train(f, train, trainY, valid, validY, 3, l -> { }).head();
        assertArrayEquals(head.logits("refund please"), again.logits("refund please"), "seeded");
    }
}
