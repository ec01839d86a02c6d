package dev.llmserve.engine.speculative;

import java.util.List;

/**
 * Proposes the draft tokens a VERIFY step then checks on the target: a draft model
 * ({@link DraftProposer}, or draft-service behind gRPC) or prompt lookup ({@link PromptLookupProposer}).
 */
public interface Proposer {

    /**
     * One proposal per request, in order: exactly {@code numTokens} tokens from a draft model, at most
     * that many (or none) from prompt lookup.
     */
    List<DraftProposal> propose(List<DraftRequest> requests);

    /**
     * Whether this is a draft model: it keeps each sequence's K/V between proposals, so a request
     * carries only the tokens it has not run (see {@link DraftCache}), and it draws from a distribution
     * q that it returns when asked. Prompt lookup keeps nothing (a request carries the whole context)
     * and its q is a point mass on each proposed token.
     */
    boolean isDraftModel();
}
