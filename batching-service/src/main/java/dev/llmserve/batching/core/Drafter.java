package dev.llmserve.batching.core;

import dev.llmserve.engine.speculative.DraftProposal;
import java.util.List;

/**
 * Proposes the draft tokens that a speculative step then verifies on the target: a draft model
 * ({@link DraftModelDrafter}) or prompt lookup ({@link PromptLookupDrafter}).
 */
public interface Drafter {

    /**
     * One proposal per scheduled decode, in order, of at most its {@code draftSlots} tokens (fewer, or
     * none, when the drafter has nothing to offer). {@code probs} is the draft distribution q per
     * token, or null when q is a point mass on each token.
     */
    List<DraftProposal> propose(List<ScheduledSequence> decodes);
}
