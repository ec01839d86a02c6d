package dev.llmserve.engine.bench;

import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.engine.speculative.PromptLookupProposer;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Speculative decoding of a batch, driven as a scheduler drives it: a prefill step samples each
 * first token, then every iteration proposes up to γ tokens per sequence (a draft model through
 * {@link DraftProposer}, or {@link PromptLookupProposer}) and verifies them all in one target step
 * ({@link OutputMode#VERIFY}), keeping the accepted tokens. Rejected positions are rolled back by
 * bookkeeping alone: the target's computed length becomes the new length minus one (the last token
 * is fed by the next VERIFY), the draft's the part of its cache the accepted tokens confirm.
 */
public final class SpeculativeDecodeLoop {

    /**
     * What a run produced, how the drafts fared, and how long decoding took (everything after the
     * prefill step, the draft's catch-up over the prompts included).
     */
    public record Outcome(List<int[]> outputs, long proposed, long accepted, long verifications, long decodeNanos) {

        /** Accepted drafts over proposed drafts. */
        public double acceptanceRate() {
            return proposed == 0 ? 0 : accepted / (double) proposed;
        }

        /** Tokens each verification emitted on average: accepted drafts plus the target's one. */
        public double tokensPerVerification() {
            return verifications == 0 ? 0 : (accepted + verifications) / (double) verifications;
        }
    }

    private final StepTarget target;
    private final DraftProposer draft;
    private final int gamma;
    private final int minNgram;
    private final int maxNgram;

    private SpeculativeDecodeLoop(StepTarget target, DraftProposer draft, int gamma, int minNgram, int maxNgram) {
        if (gamma < 1) {
            throw new IllegalArgumentException("gamma must be at least 1, got " + gamma);
        }
        this.target = target;
        this.draft = draft;
        this.gamma = gamma;
        this.minNgram = minNgram;
        this.maxNgram = maxNgram;
    }

    /** Drafts with a draft model (same vocabulary; the sequences' block tables on its own cache). */
    public static SpeculativeDecodeLoop withDraftModel(StepTarget target, DraftProposer draft, int gamma) {
        return new SpeculativeDecodeLoop(target, draft, gamma, 0, 0);
    }

    /** Drafts by prompt lookup over each sequence's prompt and output. */
    public static SpeculativeDecodeLoop withPromptLookup(StepTarget target, int gamma, int minNgram, int maxNgram) {
        return new SpeculativeDecodeLoop(target, null, gamma, minNgram, maxNgram);
    }

    /** The first {@code newTokens} output tokens of each sequence (what plain decoding would give). */
    public Outcome run(List<DecodeSequence> sequences, int newTokens) {
        int n = sequences.size();
        int[][] outputs = new int[n][newTokens];
        int[] produced = new int[n];
        int[] draftCached = new int[n];
        DecodeLoop.prefill(target, sequences, outputs);
        long decodeStart = System.nanoTime();
        Arrays.fill(produced, 1);
        long proposed = 0;
        long accepted = 0;
        long verifications = 0;
        while (true) {
            List<Integer> active = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                if (produced[b] < newTokens) {
                    active.add(b);
                }
            }
            if (active.isEmpty()) {
                return new Outcome(List.of(outputs), proposed, accepted, verifications,
                        System.nanoTime() - decodeStart);
            }
            int[][] drafts = new int[n][];
            float[][][] draftProbs = new float[n][][];
            propose(sequences, outputs, produced, draftCached, active, newTokens, drafts, draftProbs);

            List<SequenceStep> steps = new ArrayList<>(active.size());
            for (int b : active) {
                DecodeSequence s = sequences.get(b);
                int[] tokens = new int[drafts[b].length + 1];
                tokens[0] = outputs[b][produced[b] - 1];
                System.arraycopy(drafts[b], 0, tokens, 1, drafts[b].length);
                int start = s.prompt().length + produced[b] - 1;
                steps.add(new SequenceStep(s.id(), tokens, start, s.blockTable(), OutputMode.VERIFY,
                        s.row(outputs[b], produced[b]), draftProbs[b]));
            }
            List<SequenceResult> results = target.step(steps);
            for (int i = 0; i < active.size(); i++) {
                int b = active.get(i);
                int[] emitted = results.get(i).acceptedTokens();
                int gammaUsed = drafts[b].length;
                if (draft != null && gammaUsed > 0) {
                    // The draft cached the catch-up tokens and d1..dγ-1; accepted drafts confirm as many.
                    int length = sequences.get(b).prompt().length + produced[b];
                    draftCached[b] = length + Math.min(emitted.length - 1, gammaUsed - 1);
                }
                System.arraycopy(emitted, 0, outputs[b], produced[b], emitted.length);
                produced[b] += emitted.length;
                proposed += gammaUsed;
                accepted += emitted.length - 1;
                verifications++;
            }
        }
    }

    /** Fills {@code drafts[b]} (and {@code draftProbs[b]} when sampled) for each active sequence. */
    private void propose(List<DecodeSequence> sequences, int[][] outputs, int[] produced, int[] draftCached,
            List<Integer> active, int newTokens, int[][] drafts, float[][][] draftProbs) {
        List<DraftRequest> requests = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int b : active) {
            DecodeSequence s = sequences.get(b);
            // γ + 1 tokens come back at most: never more than the sequence still needs.
            int budget = Math.min(gamma, newTokens - produced[b] - 1);
            int[] context = context(s, outputs[b], produced[b]);
            drafts[b] = new int[0];
            if (budget == 0) {
                continue;
            }
            if (draft == null) {
                drafts[b] = PromptLookupProposer.propose(context, minNgram, maxNgram, budget);
                continue;
            }
            int[] catchUp = Arrays.copyOfRange(context, draftCached[b], context.length);
            requests.add(new DraftRequest(s.id(), catchUp, draftCached[b], s.blockTable(),
                    s.row(outputs[b], produced[b]), budget, !s.params().greedy()));
            owners.add(b);
        }
        if (requests.isEmpty()) {
            return;
        }
        List<DraftProposal> proposals = draft.propose(requests);
        for (int i = 0; i < owners.size(); i++) {
            drafts[owners.get(i)] = proposals.get(i).tokens();
            draftProbs[owners.get(i)] = proposals.get(i).probs();
        }
    }

    private static int[] context(DecodeSequence s, int[] output, int produced) {
        int[] context = Arrays.copyOf(s.prompt(), s.prompt().length + produced);
        System.arraycopy(output, 0, context, s.prompt().length, produced);
        return context;
    }
}
