package dev.llmserve.engine.speculative;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.bench.DecodeLoop;
import dev.llmserve.engine.bench.DecodeSequence;
import dev.llmserve.engine.bench.SpeculativeDecodeLoop;
import dev.llmserve.engine.bench.StepTarget;
import dev.llmserve.engine.sampling.LogitsProcessor;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.testing.ChiSquare;
import dev.llmserve.engine.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculative sampling is lossless: over many seeds, the tokens it produces follow the target's
 * distribution exactly, while the two classic mistakes (accepting only drafts the target would pick
 * greedily; replacing a rejected draft by a fresh draw from p instead of norm(max(0, p − q))) do
 * not. A random 2-layer target and a different random draft with a vocabulary of 8; after the
 * prefill token t1, a verification of γ = 2 drafts decides t2 and t3 (and t4, when both are
 * accepted), so the joint distribution of (t2, t3, t4) exercises acceptance, the residual and the
 * bonus token. It is compared with the exact distribution computed from the target's logits
 * (marginalized over t1) by Pearson's chi-square test at significance {@link #ALPHA} per fit: a
 * correct rule fails one fit for 1 seed set in 1000, and the six fits that must pass fail together for
 * at most 6 in 1000. The seeds are fixed (drawn from one generator), so the outcome is deterministic;
 * each rule sees the same seeds. Another CPU or thread count moves the float32 p and q a draw is compared
 * with by a few u ({@link dev.llmserve.engine.testing.FloatErrorModel}), which changes a draw only if its
 * uniform falls within that of a boundary: about 40,000 seeds · 4 tokens · 8 entries · 2u ≈ 0.08 draws
 * per fit, so every machine sees (nearly always exactly) the same counts. The two broken rules must fail
 * at that same level; their p-values are far below it (the test log prints them).
 */
class SpeculativeSamplingDistributionTest {

    private static final double ALPHA = 0.001;
    private static final int VOCAB = 8;
    private static final int[] PROMPT = {1, 5, 3};
    private static final int NEW_TOKENS = 4;
    private static final int GAMMA = 2;
    private static final int SEEDS = 40_000;
    /** Where the seeds come from: 64-bit seeds, as requests without one get. */
    private static final long SEED_SOURCE = 4;
    private static final int CHUNK = 4_000;
    private static final int BLOCK_SIZE = 8;
    private static final int CELLS = VOCAB * VOCAB * VOCAB;

    /** Temperature 1, no filter. */
    private static final SamplingParams PLAIN = SamplingParams.of(1f, 0, 1f, 0f);
    /** Temperature, top-p and penalties: p and q depend on the drafts before each position. */
    private static final SamplingParams SHAPED = new SamplingParams(0.8f, 0, 0.9f, 0f, 1.3f, 0.5f, 0.2f, Map.of(), -1);

    @TempDir
    static Path dir;

    private static ModelRunner target;
    private static ModelRunner draft;

    @BeforeAll
    static void load() throws IOException {
        target = loadTiny("target", 21);
        draft = loadTiny("draft", 22);
    }

    private static ModelRunner loadTiny(String name, long seed) throws IOException {
        TinyModels.Spec spec = new TinyModels.Spec(name).seed(seed);
        spec.vocab = VOCAB;
        spec.maxPositions = 16;
        return ModelRunner.load(TinyModels.write(dir.resolve(name), spec).dir(),
                new RunnerOptions("cpu", "16m", BLOCK_SIZE));
    }

    @AfterAll
    static void close() {
        if (draft != null) {
            draft.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void plainSamplingFollowsTheExactDistribution() {
        for (SamplingParams params : List.of(PLAIN, SHAPED)) {
            ChiSquare.Result fit = fit(params,
                    sequences -> DecodeLoop.run(target::step, sequences, NEW_TOKENS).outputs());
            report("plain sampling", params, fit);
            assertTrue(fit.pValue() > ALPHA, "plain sampling should fit: " + fit);
        }
    }

    @Test
    void speculativeSamplingFollowsTheExactDistribution() {
        for (SamplingParams params : List.of(PLAIN, SHAPED)) {
            ChiSquare.Result fit = fit(params, speculative(target::step));
            report("speculative (VERIFY in ModelRunner)", params, fit);
            assertTrue(fit.pValue() > ALPHA, "speculative sampling must keep the target's distribution: " + fit);
        }
    }

    @Test
    void promptLookupDraftsKeepTheDistributionToo() {
        // q is a point mass on each looked-up token: accepted with probability p(d), else drawn from p without d.
        SpeculativeDecodeLoop loop = SpeculativeDecodeLoop.withPromptLookup(target::step, GAMMA, 1, 2);
        ChiSquare.Result fit = fit(PLAIN, sequences -> loop.run(sequences, NEW_TOKENS).outputs());
        report("speculative (prompt lookup)", PLAIN, fit);
        assertTrue(fit.pValue() > ALPHA, fit.toString());
    }

    @Test
    void theRuleOutsideTheRunnerFitsToo() {
        // The harness the broken rules run in, with the real rule: what fails below is the rule alone.
        ChiSquare.Result fit = fit(PLAIN, speculative(verifyingWith(new RejectionSampler())));
        report("speculative (DraftVerifier over ALL_LOGITS)", PLAIN, fit);
        assertTrue(fit.pValue() > ALPHA, fit.toString());
    }

    @Test
    void exactMatchAcceptanceChangesTheDistribution() {
        ChiSquare.Result fit = fit(PLAIN, speculative(verifyingWith(new ExactMatchRule())));
        report("BROKEN exact-match acceptance", PLAIN, fit);
        assertTrue(fit.pValue() < ALPHA, "the test must catch exact-match acceptance: " + fit);
    }

    @Test
    void resamplingFromPInsteadOfTheResidualChangesTheDistribution() {
        ChiSquare.Result fit = fit(PLAIN, speculative(verifyingWith(new NoResidualRule())));
        report("BROKEN no residual", PLAIN, fit);
        assertTrue(fit.pValue() < ALPHA, "the test must catch a missing residual: " + fit);
    }

    /** Accepts a draft only when it is the target's most probable token: greedy's rule, wrong for sampling. */
    private static final class ExactMatchRule extends RejectionSampler {
        @Override
        protected NDArray accepted(NDArray p, NDArray q, NDArray draftTokens, NDArray r) {
            return p.argMax(1).reshape(-1, 1).eq(draftTokens);
        }
    }

    /** Replaces a rejected draft with a draw from p rather than from norm(max(0, p − q)). */
    private static final class NoResidualRule extends RejectionSampler {
        @Override
        protected NDArray replacementWeights(NDArray p, NDArray q) {
            return p;
        }
    }

    private static Function<List<DecodeSequence>, List<int[]>> speculative(StepTarget verifying) {
        SpeculativeDecodeLoop loop = SpeculativeDecodeLoop.withDraftModel(verifying, new DraftProposer(draft), GAMMA);
        return sequences -> loop.run(sequences, NEW_TOKENS).outputs();
    }

    /**
     * The target with its VERIFY steps run as ALL_LOGITS steps whose logits go through a
     * {@link DraftVerifier} with the given rule: the engine's own verification, rule swapped.
     */
    private static StepTarget verifyingWith(RejectionSampler rule) {
        DraftVerifier verifier = new DraftVerifier(rule);
        return steps -> {
            if (steps.stream().noneMatch(s -> s.output() == OutputMode.VERIFY)) {
                return target.step(steps);
            }
            List<SequenceStep> scoring = steps.stream().map(s -> new SequenceStep(s.sequenceId(), s.tokens(),
                    s.startPosition(), s.blockTable(), OutputMode.ALL_LOGITS, null)).toList();
            List<float[]> rows = new ArrayList<>();
            target.step(scoring).forEach(r -> rows.addAll(Arrays.asList(r.logits())));
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray logits = manager.create(flatten(rows), new Shape(rows.size(), VOCAB));
                List<int[]> accepted = verifier.verify(logits, steps);
                List<SequenceResult> results = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    results.add(new SequenceResult(steps.get(i).sequenceId(), null, null, accepted.get(i), null));
                }
                return results;
            }
        };
    }

    /** Counts (t2, t3, t4) over all seeds and tests them against the exact distribution. */
    private static ChiSquare.Result fit(SamplingParams params, Function<List<DecodeSequence>, List<int[]>> decode) {
        long[] counts = new long[CELLS];
        SplittableRandom seeds = new SplittableRandom(SEED_SOURCE);
        for (int from = 0; from < SEEDS; from += CHUNK) {
            List<DecodeSequence> sequences = new ArrayList<>(CHUNK);
            for (int b = 0; b < CHUNK; b++) {
                sequences.add(new DecodeSequence(b, PROMPT, new int[] {b}, params, seeds.nextLong()));
            }
            for (int[] output : decode.apply(sequences)) {
                counts[cell(output[1], output[2], output[3])]++;
            }
        }
        return ChiSquare.test(counts, exactDistribution(params));
    }

    /**
     * P(t2, t3, t4) = Σ_t1 p(t1) p(t2 | t1) p(t3 | t1 t2) p(t4 | t1 t2 t3), each p the processed
     * distribution after the prompt and the tokens before it, from one ALL_LOGITS step over every
     * continuation t1 t2 t3.
     */
    private static double[] exactDistribution(SamplingParams params) {
        List<SequenceStep> steps = new ArrayList<>();
        List<SamplingRow> rows = new ArrayList<>();
        for (int c = 0; c < CELLS; c++) {
            int[] continuation = {c / (VOCAB * VOCAB), c / VOCAB % VOCAB, c % VOCAB};
            int[] tokens = Arrays.copyOf(PROMPT, PROMPT.length + 3);
            System.arraycopy(continuation, 0, tokens, PROMPT.length, 3);
            steps.add(new SequenceStep(c, tokens, 0, new int[] {c}, OutputMode.ALL_LOGITS, null));
            for (int k = 0; k <= 3; k++) {
                TokenHistory history = new TokenHistory(PROMPT, Arrays.copyOf(continuation, k));
                rows.add(new SamplingRow(params, history, 0, k));
            }
        }
        List<float[]> logits = new ArrayList<>();
        for (SequenceResult r : target.step(steps)) {
            // positions PROMPT.length - 1 .. PROMPT.length + 2 predict t1 .. t4
            logits.addAll(Arrays.asList(r.logits()).subList(PROMPT.length - 1, PROMPT.length + 3));
        }
        float[] p;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray array = manager.create(flatten(logits), new Shape(logits.size(), VOCAB));
            p = new LogitsProcessor().probabilities(array, rows).toFloatArray();
        }
        double[] exact = new double[CELLS];
        for (int c = 0; c < CELLS; c++) {
            int t1 = c / (VOCAB * VOCAB);
            int t2 = c / VOCAB % VOCAB;
            int t3 = c % VOCAB;
            int row = 4 * c;
            double prefix = (double) p[row * VOCAB + t1] * p[(row + 1) * VOCAB + t2] * p[(row + 2) * VOCAB + t3];
            for (int t4 = 0; t4 < VOCAB; t4++) {
                exact[cell(t2, t3, t4)] += prefix * p[(row + 3) * VOCAB + t4];
            }
        }
        return exact;
    }

    private static int cell(int a, int b, int c) {
        return (a * VOCAB + b) * VOCAB + c;
    }

    private static float[] flatten(List<float[]> rows) {
        float[] flat = new float[rows.size() * VOCAB];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * VOCAB, VOCAB);
        }
        return flat;
    }

    private static void report(String what, SamplingParams params, ChiSquare.Result fit) {
        System.out.printf("%s, %s: %s (%d seeds, alpha %.3f)%n", what, params == PLAIN ? "temperature 1"
                : "temperature 0.8, top-p 0.9, penalties", fit, SEEDS, ALPHA);
    }
}
