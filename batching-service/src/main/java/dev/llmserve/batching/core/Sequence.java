package dev.llmserve.batching.core;

import dev.llmserve.engine.output.OutputDelta;
import dev.llmserve.engine.output.StreamingOutput;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.protocol.kafka.Priority;
import java.util.Arrays;

/**
 * One request as the scheduler sees it: its tokens (prompt, then output), how many of them are
 * already in the KV cache, its block table, how to sample and when to stop, and the timestamps the
 * latency metrics need. After a recompute preemption the KV cache is empty again but the output
 * so far is kept: the next prefill covers prompt and output, and sampling continues where it was.
 * Its {@link Priority} decides where it queues and who gives way first. Its speculative state, if it
 * speculates, is the {@code speculative.Speculator}'s.
 */
public final class Sequence {

    private final long id;
    private final String requestId;
    private final String replyTopic;
    private final Priority priority;
    private final int promptLength;
    private final SamplingParams sampling;
    private final long seed;
    private final StreamingOutput output;
    private final int maxOutputTokens;
    private final long arrivalNanos;
    private final IntList blockTable = new IntList();
    private int[] tokens;
    private int numTokens;
    private int numComputedTokens;
    private SequenceStatus status = SequenceStatus.WAITING;
    private int nextEventIndex;
    private long firstTokenNanos = -1;
    private long lastTokenNanos = -1;

    /**
     * @param maxOutputTokens the output's length limit (the one {@code output} enforces), so that a
     *     speculative step never drafts past it
     */
    public Sequence(long id, String requestId, String replyTopic, Priority priority, int[] prompt,
            SamplingParams sampling, long seed, StreamingOutput output, int maxOutputTokens, long arrivalNanos) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("request " + requestId + ": empty prompt");
        }
        this.id = id;
        this.requestId = requestId;
        this.replyTopic = replyTopic;
        this.priority = priority;
        this.promptLength = prompt.length;
        this.sampling = sampling;
        this.seed = seed;
        this.output = output;
        this.maxOutputTokens = maxOutputTokens;
        this.arrivalNanos = arrivalNanos;
        this.tokens = Arrays.copyOf(prompt, prompt.length + 16);
        this.numTokens = prompt.length;
    }

    /** The engine's id for this sequence (unique per batching-service instance). */
    public long id() {
        return id;
    }

    public String requestId() {
        return requestId;
    }

    public String replyTopic() {
        return replyTopic;
    }

    public Priority priority() {
        return priority;
    }

    public SequenceStatus status() {
        return status;
    }

    void setStatus(SequenceStatus status) {
        this.status = status;
    }

    public int promptLength() {
        return promptLength;
    }

    public int numOutputTokens() {
        return numTokens - promptLength;
    }

    public int maxOutputTokens() {
        return maxOutputTokens;
    }

    /** Prompt plus output. */
    public int numTokens() {
        return numTokens;
    }

    /** Tokens whose K and V are already in the cache. */
    public int numComputedTokens() {
        return numComputedTokens;
    }

    /** Tokens still to run through the model: the rest of the prompt, or the last sampled token. */
    public int numUncomputedTokens() {
        return numTokens - numComputedTokens;
    }

    /** The next {@code count} uncomputed tokens. */
    public int[] nextTokens(int count) {
        if (count < 1 || count > numUncomputedTokens()) {
            throw new IllegalArgumentException("sequence " + id + ": cannot take " + count + " of "
                    + numUncomputedTokens() + " uncomputed tokens");
        }
        return Arrays.copyOfRange(tokens, numComputedTokens, numComputedTokens + count);
    }

    /** Tokens {@code from} (inclusive) to {@code to} (exclusive) of prompt + output. */
    public int[] tokens(int from, int to) {
        if (from < 0 || from > to || to > numTokens) {
            throw new IllegalArgumentException("sequence " + id + ": no tokens " + from + ".." + to + " of " + numTokens);
        }
        return Arrays.copyOfRange(tokens, from, to);
    }

    void markComputed(int count) {
        numComputedTokens += count;
    }

    /** Back to an empty KV cache (recompute preemption); the output so far stays. */
    void resetComputed() {
        numComputedTokens = 0;
    }

    /** The block table; mutated only by the {@link BlockManager}. */
    IntList blockTable() {
        return blockTable;
    }

    public int[] blockTableArray() {
        return blockTable.toArray();
    }

    public int numBlocks() {
        return blockTable.size();
    }

    /**
     * The sampling row for the next token: its draw depends only on (seed, output index). A
     * verification uses it for its first draft token, and a proposal for the first token it drafts.
     */
    public SamplingRow samplingRow() {
        TokenHistory history = sampling.usesPenalties()
                ? new TokenHistory(Arrays.copyOf(tokens, promptLength),
                        Arrays.copyOfRange(tokens, promptLength, numTokens))
                : TokenHistory.EMPTY;
        return new SamplingRow(sampling, history, seed, numOutputTokens());
    }

    /** Appends a sampled token and runs it through detokenization and the stop checks. */
    OutputDelta appendToken(int tokenId, long nowNanos) {
        if (numTokens == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[numTokens++] = tokenId;
        if (firstTokenNanos < 0) {
            firstTokenNanos = nowNanos;
        }
        lastTokenNanos = nowNanos;
        return output.accept(tokenId);
    }

    public SamplingParams sampling() {
        return sampling;
    }

    /** The index the next event of this request carries: 0, 1, 2, … without gaps. */
    int takeEventIndex() {
        return nextEventIndex++;
    }

    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** When the first token was sampled; negative before. */
    public long firstTokenNanos() {
        return firstTokenNanos;
    }

    /** When the latest token was sampled; negative before the first. */
    public long lastTokenNanos() {
        return lastTokenNanos;
    }

    @Override
    public String toString() {
        return "Sequence[" + id + ", " + requestId + ", " + priority.wireName() + ", " + status + ", tokens " + numTokens + ", computed "
                + numComputedTokens + ", blocks " + blockTable.size() + "]";
    }
}
