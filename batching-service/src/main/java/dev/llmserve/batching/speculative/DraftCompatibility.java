package dev.llmserve.batching.speculative;

import dev.llmserve.batching.core.ShardInfo;

/**
 * Whether a draft model can serve a target: speculative decoding compares token ids and
 * distributions position by position, so both must share the tokenizer (by the SHA-256 of
 * tokenizer.json each shard reports) and the vocabulary; the draft's KV cache is addressed by the
 * target's block tables, so both need the same block size, and the draft must reach as far into the
 * context as the target.
 */
public final class DraftCompatibility {

    private DraftCompatibility() {}

    /**
     * The geometry the block manager works with: the target's, with only as many blocks as both
     * caches have. Throws {@link IllegalStateException} naming what differs.
     */
    public static ShardInfo check(ShardInfo target, ShardInfo draft) {
        if (target.tokenizerHash().isEmpty() || !target.tokenizerHash().equals(draft.tokenizerHash())) {
            throw new IllegalStateException("the draft model " + draft.modelName() + " (tokenizer.json SHA-256 "
                    + describe(draft.tokenizerHash()) + ") does not share the tokenizer of the target model "
                    + target.modelName() + " (tokenizer.json SHA-256 " + describe(target.tokenizerHash())
                    + "); speculative decoding needs one tokenizer for both");
        }
        require(draft.vocabSize() == target.vocabSize(), "vocabulary sizes", target.vocabSize(), draft.vocabSize());
        require(draft.blockSize() == target.blockSize(), "KV block sizes", target.blockSize(), draft.blockSize());
        require(draft.contextLength() >= target.contextLength(), "context lengths (the draft's must reach the"
                + " target's)", target.contextLength(), draft.contextLength());
        return target.withNumBlocks(Math.min(target.numBlocks(), draft.numBlocks()));
    }

    private static String describe(String hash) {
        return hash.isEmpty() ? "not reported" : hash;
    }

    private static void require(boolean holds, String what, int target, int draft) {
        if (!holds) {
            throw new IllegalStateException("the draft model does not fit the target: " + what + " differ, target "
                    + target + ", draft " + draft);
        }
    }
}
