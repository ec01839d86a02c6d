package dev.llmserve.batching.speculative;

import dev.llmserve.batching.core.ShardInfo;
import dev.llmserve.engine.speculative.Proposer;

/**
 * A draft model with its own KV cache, addressed by the target's block tables: draft-service over
 * gRPC ({@code grpc.GrpcDraftModel}). Its proposals run each request's catch-up tokens, then draft
 * its {@code numTokens} tokens.
 */
public interface DraftModel extends Proposer {

    /** The draft's model and KV geometry (and tokenizer hash); throws while it cannot be reached. */
    ShardInfo info();

    @Override
    default boolean isDraftModel() {
        return true;
    }
}
