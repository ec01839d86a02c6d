package dev.llmserve.engine.speculative;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.llmserve.engine.sampling.LogitsProcessor;
import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.sampling.Sampler;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The {@link OutputMode#VERIFY} sequences of a step, from the target's logits to the tokens each
 * emits. Every position gets its own sampling row (output index and penalty history moved on by the
 * drafts before it). Sampled sequences go through the {@link RejectionSampler} with p = their
 * processed distributions and q = the drafts' (a point mass on the draft token where none was sent,
 * zeros at the bonus position). Greedy sequences need no randomness: with p a point mass the rule
 * accepts exactly while the draft is the target's argmax and then emits that argmax, whatever q is,
 * so they take the argmax the {@link Sampler} gives plain greedy decoding (same ties) and compare on
 * the host.
 */
public final class DraftVerifier {

    private final LogitsProcessor processor = new LogitsProcessor();
    private final Sampler sampler = new Sampler();
    private final RejectionSampler rule;

    public DraftVerifier(RejectionSampler rule) {
        this.rule = rule;
    }

    /**
     * @param logits [Σ(γ+1), V] the raw logits at every position of the given VERIFY steps, in order
     * @return per step, the accepted drafts and one token from the target
     */
    public List<int[]> verify(NDArray logits, List<SequenceStep> steps) {
        List<Integer> greedy = new ArrayList<>();
        List<Integer> sampled = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            SequenceStep s = steps.get(i);
            if (s.output() != OutputMode.VERIFY) {
                throw new IllegalArgumentException("sequence " + s.sequenceId() + " is not a VERIFY step");
            }
            (s.sampling().params().greedy() ? greedy : sampled).add(i);
        }
        int[] firstRow = new int[steps.size()];
        for (int i = 1; i < steps.size(); i++) {
            firstRow[i] = firstRow[i - 1] + steps.get(i - 1).tokens().length;
        }
        int[][] emitted = new int[steps.size()][];
        if (!greedy.isEmpty()) {
            List<int[]> out = verifyGreedy(rows(logits, steps, greedy, firstRow), pick(steps, greedy));
            for (int g = 0; g < greedy.size(); g++) {
                emitted[greedy.get(g)] = out.get(g);
            }
        }
        if (!sampled.isEmpty()) {
            List<int[]> out = verifySampled(rows(logits, steps, sampled, firstRow), pick(steps, sampled));
            for (int s = 0; s < sampled.size(); s++) {
                emitted[sampled.get(s)] = out.get(s);
            }
        }
        return List.of(emitted);
    }

    private List<int[]> verifyGreedy(NDArray logits, List<SequenceStep> steps) {
        List<SampledToken> argmax = sampler.sample(logits, positionRows(steps));
        List<int[]> out = new ArrayList<>(steps.size());
        int row = 0;
        for (SequenceStep s : steps) {
            int n = 0;
            while (n < s.draftCount() && argmax.get(row + n).tokenId() == s.tokens()[n + 1]) {
                n++;
            }
            int[] emitted = Arrays.copyOfRange(s.tokens(), 1, n + 2);
            emitted[n] = argmax.get(row + n).tokenId();
            out.add(emitted);
            row += s.tokens().length;
        }
        return out;
    }

    private List<int[]> verifySampled(NDArray logits, List<SequenceStep> steps) {
        int vocab = Math.toIntExact(logits.getShape().get(1));
        List<SamplingRow> rows = positionRows(steps);
        List<RejectionSampler.Drafts> drafts = new ArrayList<>(steps.size());
        for (SequenceStep s : steps) {
            drafts.add(new RejectionSampler.Drafts(Arrays.copyOfRange(s.tokens(), 1, s.tokens().length),
                    s.sampling().seed(), s.sampling().outputIndex()));
        }
        NDArray p = processor.probabilities(logits, rows);
        return rule.sample(p, draftProbabilities(logits.getManager(), steps, rows.size(), vocab), drafts);
    }

    /** Position i of a step scores the token after d1..di (tokens[1..i+1)). */
    private static List<SamplingRow> positionRows(List<SequenceStep> steps) {
        List<SamplingRow> rows = new ArrayList<>();
        for (SequenceStep s : steps) {
            for (int i = 0; i < s.tokens().length; i++) {
                rows.add(s.sampling().after(s.tokens(), 1, 1 + i));
            }
        }
        return rows;
    }

    /**
     * q [R, V]: each draft position's distribution (as sent, or a point mass on the draft token), then
     * a zero row at the bonus position. Point masses alone are set on the device, so prompt lookup
     * never builds an [R, V] array on the host; sent rows arrive as [R, V] floats anyway.
     */
    private static NDArray draftProbabilities(NDManager manager, List<SequenceStep> steps, int rows, int vocab) {
        if (steps.stream().allMatch(s -> s.draftProbs() == null)) {
            long[] ones = new long[rows - steps.size()];
            int row = 0;
            int n = 0;
            for (SequenceStep s : steps) {
                for (int i = 0; i < s.draftCount(); i++, row++) {
                    ones[n++] = (long) row * vocab + s.tokens()[i + 1];
                }
                row++;
            }
            NDArray q = manager.zeros(new Shape(rows, vocab));
            return ones.length == 0 ? q : q.put(manager.create(ones), manager.ones(new Shape(ones.length)));
        }
        float[] q = new float[rows * vocab];
        int row = 0;
        for (SequenceStep s : steps) {
            for (int i = 0; i < s.draftCount(); i++, row++) {
                if (s.draftProbs() != null) {
                    System.arraycopy(s.draftProbs()[i], 0, q, row * vocab, vocab);
                } else {
                    q[row * vocab + s.tokens()[i + 1]] = 1f;
                }
            }
            row++;
        }
        return manager.create(q, new Shape(rows, vocab));
    }

    private static List<SequenceStep> pick(List<SequenceStep> steps, List<Integer> which) {
        return which.stream().map(steps::get).toList();
    }

    /** The logits rows of the chosen steps (all of them: no copy). */
    private static NDArray rows(NDArray logits, List<SequenceStep> steps, List<Integer> which, int[] firstRow) {
        if (which.size() == steps.size()) {
            return logits;
        }
        long[] index = which.stream().flatMapToLong(i -> LongStream
                .range(firstRow[i], firstRow[i] + steps.get(i).tokens().length)).toArray();
        return logits.get(new NDIndex("{}", logits.getManager().create(index)));
    }
}
