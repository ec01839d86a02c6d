package dev.llmserve.engine.speculative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PromptLookupProposerTest {

    @Test
    void proposesWhatFollowedTheLongestMatchingSuffix() {
        int[] context = {1, 2, 3, 9, 9, 5, 2, 3, 4, 8, 2, 3};
        // "2 3" occurs at 1 and 6; the 3-gram "8 2 3" nowhere: the most recent "2 3" (at 6) is followed by 4 8 2.
        assertArrayEquals(new int[] {4, 8, 2}, PromptLookupProposer.lookup(context, 1, 3, 3));
    }

    @Test
    void preferALongerMatchOverAMoreRecentShorterOne() {
        int[] context = {7, 2, 3, 10, 11, 5, 3, 12, 7, 2, 3};
        // "7 2 3" occurs at 0 (then 10 11); "3" alone more recently at 6 (then 12).
        assertArrayEquals(new int[] {10, 11}, PromptLookupProposer.lookup(context, 1, 3, 2));
        assertArrayEquals(new int[] {12, 7}, PromptLookupProposer.lookup(context, 1, 1, 2));
    }

    @Test
    void stopsAtTheEndOfTheContextAndMayRunIntoTheSuffix() {
        int[] context = {4, 4, 4};
        // "4 4" at 0 is followed by the last 4 only.
        assertArrayEquals(new int[] {4}, PromptLookupProposer.lookup(context, 2, 2, 5));
    }

    @Test
    void proposesNothingWithoutAMatch() {
        assertArrayEquals(new int[0], PromptLookupProposer.lookup(new int[] {1, 2, 3, 4}, 1, 3, 4));
        assertArrayEquals(new int[0], PromptLookupProposer.lookup(new int[] {1}, 1, 3, 4));
        assertArrayEquals(new int[0], PromptLookupProposer.lookup(new int[] {1, 2, 1, 2}, 3, 3, 4));
    }

    @Test
    void rejectsMeaninglessSizes() {
        assertThrows(IllegalArgumentException.class, () -> PromptLookupProposer.lookup(new int[] {1}, 0, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> PromptLookupProposer.lookup(new int[] {1}, 3, 2, 1));
    }
}
