package dev.llmserve.engine.bench;

import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures the engine alone: for each batch size, B sequences of random prompt tokens are
 * prefilled in one step, then decoded greedily for genLen steps with B tokens per step. The
 * median of {@code repeats} runs is reported, after one unmeasured warm-up run per batch size.
 */
public final class EngineBenchmark {

    /** Decode throughput of one batch size. */
    public record DecodeResult(int batch, double tokensPerSecond, double stepMillis) {}

    /** Everything one benchmark run measured. */
    public record Report(String model, String device, int promptLength, int genLength,
            List<DecodeResult> decode, double prefillTokensPerSecond) {}

    private final ModelRunner runner;
    private final int promptLength;
    private final int genLength;
    private final int repeats;

    public EngineBenchmark(ModelRunner runner, int promptLength, int genLength, int repeats) {
        this.runner = runner;
        this.promptLength = promptLength;
        this.genLength = genLength;
        this.repeats = repeats;
        int needed = promptLength + genLength;
        if (needed > runner.config().maxPositions()) {
            throw new IllegalArgumentException("prompt + gen length " + needed + " exceeds the model's context of "
                    + runner.config().maxPositions());
        }
    }

    /** Blocks one sequence of this benchmark needs. */
    public static int blocksPerSequence(int promptLength, int genLength, int blockSize) {
        return (promptLength + genLength + blockSize - 1) / blockSize;
    }

    public Report run(String model, String device, int[] batchSizes) {
        List<DecodeResult> decode = new ArrayList<>();
        double bestPrefill = 0;
        for (int batch : batchSizes) {
            int perSequence = blocksPerSequence(promptLength, genLength, runner.cacheSpec().blockSize());
            if ((long) batch * perSequence > runner.cacheSpec().numBlocks()) {
                throw new IllegalArgumentException("batch " + batch + " needs " + batch * perSequence
                        + " KV blocks, the cache has " + runner.cacheSpec().numBlocks() + " (raise --kv-cache-memory)");
            }
            runOnce(batch, new double[2]);
            double[] prefill = new double[repeats];
            double[] decodeSeconds = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                double[] seconds = new double[2];
                runOnce(batch, seconds);
                prefill[r] = seconds[0];
                decodeSeconds[r] = seconds[1];
            }
            double prefillSeconds = median(prefill);
            double decodeMedian = median(decodeSeconds);
            bestPrefill = Math.max(bestPrefill, batch * (double) promptLength / prefillSeconds);
            decode.add(new DecodeResult(batch, batch * (double) genLength / decodeMedian,
                    decodeMedian * 1000 / genLength));
        }
        return new Report(model, device, promptLength, genLength, decode, bestPrefill);
    }

    /** One prefill step and genLength decode steps; seconds[0] = prefill, seconds[1] = decode. */
    private void runOnce(int batch, double[] seconds) {
        int blockSize = runner.cacheSpec().blockSize();
        int perSequence = blocksPerSequence(promptLength, genLength, blockSize);
        SplittableRandom random = new SplittableRandom(batch);
        SamplingRow greedy = new SamplingRow(SamplingParams.GREEDY, TokenHistory.EMPTY, 0, 0);
        List<SequenceStep> steps = new ArrayList<>();
        int[][] tables = new int[batch][];
        for (int b = 0; b < batch; b++) {
            int first = b * perSequence;
            tables[b] = java.util.stream.IntStream.range(first, first + perSequence).toArray();
            int[] prompt = random.ints(promptLength, 3, runner.config().vocabSize()).toArray();
            steps.add(new SequenceStep(b, prompt, 0, tables[b], OutputMode.SAMPLE, greedy));
        }
        long start = System.nanoTime();
        List<SequenceResult> results = runner.step(steps);
        long prefilled = System.nanoTime();
        for (int i = 0; i < genLength; i++) {
            List<SequenceStep> next = new ArrayList<>(batch);
            for (int b = 0; b < batch; b++) {
                int token = results.get(b).sampled().tokenId();
                next.add(new SequenceStep(b, new int[] {token}, promptLength + i, tables[b], OutputMode.SAMPLE, greedy));
            }
            results = runner.step(next);
        }
        long done = System.nanoTime();
        seconds[0] = (prefilled - start) / 1e9;
        seconds[1] = (done - prefilled) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
