package dev.llmserve.engine.speculative;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DraftCacheTest {

    @Test
    void aProposalCachesTheContextAndAllButTheLastDraft() {
        DraftCache cache = new DraftCache();
        assertEquals(0, cache.cachedTokens(), "a new sequence's draft has run nothing");
        cache.proposed(9, 4);
        assertEquals(12, cache.cachedTokens(), "9 context tokens and d1..d3; d4 was never run");
    }

    @Test
    void theDraftCacheOnlyShrinksToWhatTheTargetKept() {
        DraftCache cache = new DraftCache();
        cache.proposed(9, 4);
        cache.keepWithin(10);
        assertEquals(10, cache.cachedTokens());
        cache.keepWithin(11);
        assertEquals(10, cache.cachedTokens());
        cache.lost();
        assertEquals(0, cache.cachedTokens());
    }
}
