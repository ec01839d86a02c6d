package dev.llmserve.batching.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.output.StreamingOutput;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.protocol.kafka.Priority;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockManagerTest {

    private static final int BLOCK = 4;

    /** A sequence with a prompt of {@code length} tokens; detokenization is not exercised here. */
    private static Sequence sequence(long id, int length) {
        int[] prompt = new int[length];
        Arrays.fill(prompt, 7);
        StreamingOutput output = new StreamingOutput((ids, skip) -> "x".repeat(ids.length), prompt,
                StopCriteria.maxTokens(1000), Set.of(), true);
        return new Sequence(id, "r" + id, "topic", Priority.INTERACTIVE, prompt, SamplingParams.GREEDY, 0, output,
                1000, 0);
    }

    @Test
    void allocatesWholeBlocksForThePrompt() {
        BlockManager blocks = new BlockManager(10, BLOCK);
        Sequence seq = sequence(1, 9);
        assertTrue(blocks.canAllocate(seq));
        blocks.allocate(seq);
        assertEquals(3, seq.numBlocks());
        assertEquals(3, blocks.numUsedBlocks());
        assertEquals(7, blocks.numFreeBlocks());
        assertArrayEquals(new int[] {0, 1, 2}, seq.blockTableArray());
    }

    @Test
    void appendsABlockOnlyWhenATokenCrossesABoundary() {
        BlockManager blocks = new BlockManager(10, BLOCK);
        Sequence seq = sequence(1, 3);
        blocks.allocate(seq);
        seq.appendToken(5, 1); // 4 tokens: still one block
        assertTrue(blocks.canAppend(seq));
        blocks.appendIfNeeded(seq);
        assertEquals(1, seq.numBlocks());
        seq.appendToken(5, 2); // 5 tokens: position 4 starts block two
        blocks.appendIfNeeded(seq);
        assertEquals(2, seq.numBlocks());
        blocks.appendIfNeeded(seq);
        assertEquals(2, seq.numBlocks(), "appending again without a new token takes nothing");
    }

    @Test
    void freeReturnsEveryBlockAndTheyAreReused() {
        BlockManager blocks = new BlockManager(4, BLOCK);
        Sequence a = sequence(1, 8);
        blocks.allocate(a);
        blocks.free(a);
        assertEquals(0, a.numBlocks());
        assertEquals(0, blocks.numUsedBlocks());
        Sequence b = sequence(2, 16);
        blocks.allocate(b);
        assertEquals(4, b.numBlocks());
        assertEquals(Set.of(0, 1, 2, 3), Set.of(Arrays.stream(b.blockTableArray()).boxed().toArray(Integer[]::new)));
    }

    @Test
    void cannotOverAllocate() {
        BlockManager blocks = new BlockManager(3, BLOCK);
        Sequence a = sequence(1, 8);
        blocks.allocate(a);
        Sequence b = sequence(2, 5);
        assertFalse(blocks.canAllocate(b));
        assertThrows(IllegalStateException.class, () -> blocks.allocate(b));
        assertEquals(2, blocks.numUsedBlocks(), "a refused allocation takes nothing");

        Sequence c = sequence(3, 4);
        blocks.allocate(c);
        assertEquals(0, blocks.numFreeBlocks());
        c.appendToken(5, 1);
        assertFalse(blocks.canAppend(c));
        assertThrows(IllegalStateException.class, () -> blocks.appendIfNeeded(c));
        assertThrows(IllegalStateException.class, () -> blocks.allocate(c), "a sequence is allocated once");
    }

    @Test
    void reservesDraftSlotsAheadAndTrimsWhatTheTokensDoNotNeed() {
        BlockManager blocks = new BlockManager(4, BLOCK);
        Sequence seq = sequence(1, 3);
        blocks.allocate(seq);
        assertEquals(4 * BLOCK - 3, blocks.spareSlots(seq), "its own block's 1 free slot and 3 free blocks");

        blocks.reserveAhead(seq, 6); // positions 3..8: three blocks
        assertEquals(3, seq.numBlocks());
        assertEquals(1, blocks.numFreeBlocks());
        assertThrows(IllegalStateException.class, () -> blocks.reserveAhead(seq, 14));

        seq.appendToken(5, 0); // the verification kept 2 tokens: 5 in all, two blocks
        seq.appendToken(5, 0);
        blocks.trim(seq);
        assertEquals(2, seq.numBlocks());
        assertEquals(2, blocks.numFreeBlocks());
        blocks.trim(seq);
        assertEquals(2, seq.numBlocks(), "trimming again changes nothing");
    }

    @Test
    void rejectsAnEmptyCache() {
        assertThrows(IllegalArgumentException.class, () -> new BlockManager(0, BLOCK));
        assertThrows(IllegalArgumentException.class, () -> new BlockManager(4, 0));
    }
}
