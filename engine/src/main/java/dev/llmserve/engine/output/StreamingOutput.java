package dev.llmserve.engine.output;

import dev.llmserve.engine.tokenizer.IncrementalDetokenizer;
import dev.llmserve.engine.tokenizer.TokenDecoder;

import java.util.Set;

/**
 * One sequence's output as it is generated: detokenizes each new token, applies stop strings, stop
 * token ids, EOS and the max-tokens limit, and says what text to stream and when the sequence is
 * finished. A stop token's or EOS's own text is never emitted; text held back (an incomplete
 * character, a possible stop-string start) is released when the sequence ends for another reason.
 * Stop conditions are checked before the length limit, so a stop on the last allowed token reports
 * {@link FinishReason#STOP}, as vLLM does.
 */
public final class StreamingOutput {

    private final IncrementalDetokenizer detokenizer;
    private final StopStringMatcher stopStrings;
    private final StopCriteria criteria;
    private final Set<Integer> eosTokenIds;
    private final StringBuilder text = new StringBuilder();
    private int generatedTokens;
    private FinishReason finishReason;

    public StreamingOutput(TokenDecoder decoder, int[] promptIds, StopCriteria criteria, Set<Integer> eosTokenIds,
            boolean skipSpecialTokens) {
        this.detokenizer = new IncrementalDetokenizer(decoder, promptIds, skipSpecialTokens);
        this.stopStrings = new StopStringMatcher(criteria.stopStrings());
        this.criteria = criteria;
        this.eosTokenIds = Set.copyOf(eosTokenIds);
    }

    public OutputDelta accept(int tokenId) {
        if (finishReason != null) {
            throw new IllegalStateException("sequence already finished: " + finishReason);
        }
        generatedTokens++;
        if (criteria.stopTokenIds().contains(tokenId) || (!criteria.ignoreEos() && eosTokenIds.contains(tokenId))) {
            return finish("", FinishReason.STOP);
        }
        StopStringMatcher.Result step = stopStrings.accept(detokenizer.accept(tokenId));
        if (step.stopped()) {
            return emit(step.text(), FinishReason.STOP);
        }
        if (generatedTokens >= criteria.maxTokens()) {
            return finish(step.text(), FinishReason.LENGTH);
        }
        return emit(step.text(), null);
    }

    /** All text emitted so far. */
    public String text() {
        return text.toString();
    }

    public int generatedTokens() {
        return generatedTokens;
    }

    /** Null while the sequence is still running. */
    public FinishReason finishReason() {
        return finishReason;
    }

    /**
     * Ends the sequence after {@code emitted}, releasing held-back text, unless that text completes a
     * stop string.
     */
    private OutputDelta finish(String emitted, FinishReason reason) {
        StopStringMatcher.Result tail = stopStrings.accept(detokenizer.flush());
        if (tail.stopped()) {
            return emit(emitted + tail.text(), FinishReason.STOP);
        }
        return emit(emitted + tail.text() + stopStrings.flush(), reason);
    }

    private OutputDelta emit(String delta, FinishReason reason) {
        text.append(delta);
        finishReason = reason;
        return new OutputDelta(delta, reason);
    }
}
