package dev.llmserve.batching.core;

import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftRequest;
import java.util.List;

/**
 * A draft model with its own KV cache, addressed by the target's block tables: draft-service over
 * gRPC ({@code grpc.GrpcDraftModel}) or an engine in this process ({@link InProcessDraftModel}).
 */
public interface DraftModel {

    /** The draft's model and KV geometry (and tokenizer hash); throws while it cannot be reached. */
    ShardInfo info();

    /** Runs each request's catch-up tokens, then drafts its {@code numTokens} tokens; one proposal per request. */
    List<DraftProposal> propose(List<DraftRequest> requests);
}
