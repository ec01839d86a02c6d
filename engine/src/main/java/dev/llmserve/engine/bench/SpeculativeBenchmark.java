package dev.llmserve.engine.bench;

import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.step.ModelRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Speculative against plain greedy decoding, on the same target, prompts and machine: for each
 * batch size, B random prompts are decoded genLen tokens past their first both ways, runs
 * interleaved; the median decode time of {@code repeats} runs (after one warm-up of each) gives the
 * tokens/s. Every run's speculative output must equal the plain output token for token, or the
 * benchmark fails: a speed-up that changes the text is not one.
 */
public final class SpeculativeBenchmark {

    /** One batch size: both throughputs and how the drafts fared. */
    public record Row(int batch, double plainTokensPerSecond, double speculativeTokensPerSecond,
            double acceptanceRate, double tokensPerVerification) {

        public double speedup() {
            return speculativeTokensPerSecond / plainTokensPerSecond;
        }
    }

    /** Everything one run measured; {@code draft} names the draft model or the n-gram settings. */
    public record Report(String model, String draft, String device, String forward, int gamma, int promptLength,
            int genLength, List<Row> rows) {}

    private final ModelRunner target;
    private final int draftBlocks;
    private final SpeculativeDecodeLoop speculative;
    private final int promptLength;
    private final int genLength;
    private final int repeats;

    private SpeculativeBenchmark(ModelRunner target, int draftBlocks, SpeculativeDecodeLoop speculative,
            int promptLength, int genLength, int repeats) {
        this.target = target;
        this.draftBlocks = draftBlocks;
        this.speculative = speculative;
        this.promptLength = promptLength;
        this.genLength = genLength;
        this.repeats = repeats;
        int needed = promptLength + genLength;
        if (needed > target.config().maxPositions()) {
            throw new IllegalArgumentException("prompt + gen length " + needed + " exceeds the model's context of "
                    + target.config().maxPositions());
        }
    }

    /** Drafting with a draft model whose cache holds as many blocks as the target's. */
    public static SpeculativeBenchmark withDraftModel(ModelRunner target, ModelRunner draft, int gamma,
            int promptLength, int genLength, int repeats) {
        if (draft.config().vocabSize() != target.config().vocabSize()) {
            throw new IllegalArgumentException("the draft's vocabulary (" + draft.config().vocabSize()
                    + ") differs from the target's (" + target.config().vocabSize() + ")");
        }
        if (draft.cacheSpec().blockSize() != target.cacheSpec().blockSize()) {
            throw new IllegalArgumentException("draft and target must use the same KV block size");
        }
        return new SpeculativeBenchmark(target, draft.cacheSpec().numBlocks(), SpeculativeDecodeLoop.withDraftModel(
                target::step, new DraftProposer(draft), gamma), promptLength, genLength, repeats);
    }

    /** Drafting by prompt lookup. */
    public static SpeculativeBenchmark withPromptLookup(ModelRunner target, int gamma, int minNgram, int maxNgram,
            int promptLength, int genLength, int repeats) {
        return new SpeculativeBenchmark(target, Integer.MAX_VALUE, SpeculativeDecodeLoop.withPromptLookup(
                target::step, gamma, minNgram, maxNgram), promptLength, genLength, repeats);
    }

    public Report run(String model, String draft, int gamma, int[] batchSizes) {
        List<Row> rows = new ArrayList<>();
        for (int batch : batchSizes) {
            checkFits(batch);
            List<DecodeSequence> sequences = sequences(batch);
            runBoth(sequences);
            double[] plainSeconds = new double[repeats];
            double[] speculativeSeconds = new double[repeats];
            SpeculativeDecodeLoop.Outcome outcome = null;
            for (int r = 0; r < repeats; r++) {
                Timed timed = runBoth(sequences);
                plainSeconds[r] = timed.plainSeconds();
                speculativeSeconds[r] = timed.speculative().decodeNanos() / 1e9;
                outcome = timed.speculative();
            }
            double tokens = batch * (double) genLength;
            rows.add(new Row(batch, tokens / median(plainSeconds), tokens / median(speculativeSeconds),
                    outcome.acceptanceRate(), outcome.tokensPerVerification()));
        }
        return new Report(model, draft, target.device(), target.forwardPath().label(), gamma, promptLength,
                genLength, rows);
    }

    private record Timed(double plainSeconds, SpeculativeDecodeLoop.Outcome speculative) {}

    /** Plain then speculative decoding of the same sequences, the outputs checked equal. */
    private Timed runBoth(List<DecodeSequence> sequences) {
        DecodeLoop.Outcome plain = DecodeLoop.run(target::step, sequences, genLength + 1);
        SpeculativeDecodeLoop.Outcome fast = speculative.run(sequences, genLength + 1);
        for (int b = 0; b < sequences.size(); b++) {
            int[] expected = plain.outputs().get(b);
            int[] actual = fast.outputs().get(b);
            int mismatch = Arrays.mismatch(expected, actual);
            if (mismatch >= 0) {
                throw new IllegalStateException("speculative decoding changed the output of sequence " + b
                        + " (batch " + sequences.size() + ") at token " + mismatch + ": plain " + expected[mismatch]
                        + ", speculative " + actual[mismatch]);
            }
        }
        return new Timed(plain.decodeNanos() / 1e9, fast);
    }

    private List<DecodeSequence> sequences(int batch) {
        int perSequence = EngineBenchmark.blocksPerSequence(promptLength, genLength, target.cacheSpec().blockSize());
        SplittableRandom random = new SplittableRandom(batch);
        List<DecodeSequence> sequences = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int[] table = IntStream.range(b * perSequence, (b + 1) * perSequence).toArray();
            int[] prompt = random.ints(promptLength, 3, target.config().vocabSize()).toArray();
            sequences.add(new DecodeSequence(b, prompt, table, SamplingParams.GREEDY, 0));
        }
        return sequences;
    }

    private void checkFits(int batch) {
        int perSequence = EngineBenchmark.blocksPerSequence(promptLength, genLength, target.cacheSpec().blockSize());
        int blocks = Math.min(target.cacheSpec().numBlocks(), draftBlocks);
        if ((long) batch * perSequence > blocks) {
            throw new IllegalArgumentException("batch " + batch + " needs " + batch * perSequence
                    + " KV blocks, the caches have " + blocks);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
