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
    public record Report(String model, String device, String forward, int promptLength, int genLength,
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

    /**
     * Measures several runners (e.g. the two forward paths) over the same batch sizes, interleaving
     * them run by run so machine noise hits all alike; one report per benchmark, in order.
     */
    public static List<Report> compare(List<EngineBenchmark> benches, String model, String device, int[] batchSizes) {
        int n = benches.size();
        List<List<DecodeResult>> decode = new ArrayList<>();
        double[] bestPrefill = new double[n];
        for (int i = 0; i < n; i++) {
            decode.add(new ArrayList<>());
        }
        for (int batch : batchSizes) {
            for (EngineBenchmark bench : benches) {
                bench.checkFits(batch);
                bench.runOnce(batch, new double[2]);
            }
            int repeats = benches.get(0).repeats;
            double[][] prefill = new double[n][repeats];
            double[][] decodeSeconds = new double[n][repeats];
            for (int r = 0; r < repeats; r++) {
                for (int i = 0; i < n; i++) {
                    double[] seconds = new double[2];
                    benches.get(i).runOnce(batch, seconds);
                    prefill[i][r] = seconds[0];
                    decodeSeconds[i][r] = seconds[1];
                }
            }
            for (int i = 0; i < n; i++) {
                EngineBenchmark b = benches.get(i);
                double decodeMedian = median(decodeSeconds[i]);
                bestPrefill[i] = Math.max(bestPrefill[i], batch * (double) b.promptLength / median(prefill[i]));
                decode.get(i).add(new DecodeResult(batch, batch * (double) b.genLength / decodeMedian,
                        decodeMedian * 1000 / b.genLength));
            }
        }
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EngineBenchmark b = benches.get(i);
            reports.add(new Report(model, device, b.runner.forwardPath().label(), b.promptLength, b.genLength,
                    decode.get(i), bestPrefill[i]));
        }
        return reports;
    }

    private void checkFits(int batch) {
        int perSequence = blocksPerSequence(promptLength, genLength, runner.cacheSpec().blockSize());
        if ((long) batch * perSequence > runner.cacheSpec().numBlocks()) {
            throw new IllegalArgumentException("batch " + batch + " needs " + batch * perSequence
                    + " KV blocks, the cache has " + runner.cacheSpec().numBlocks() + " (raise --kv-cache-memory)");
        }
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
