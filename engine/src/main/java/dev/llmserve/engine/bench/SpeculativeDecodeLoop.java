package dev.llmserve.engine.bench;

import dev.llmserve.engine.speculative.DraftCache;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.engine.speculative.PromptLookupProposer;
import dev.llmserve.engine.speculative.Proposer;
import dev.llmserve.engine.speculative.Verification;
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
 * ({@link OutputMode#VERIFY}, built by {@link Verification}), keeping the accepted tokens. Rejected
 * positions are rolled back by bookkeeping alone: the target's computed length becomes the new
 * length minus one (the last token is fed by the next VERIFY), the draft's follows {@link DraftCache}.
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
    private final Proposer proposer;
    private final int gamma;

    private SpeculativeDecodeLoop(StepTarget target, Proposer proposer, int gamma) {
        if (gamma < 1) {
            throw new IllegalArgumentException("gamma must be at least 1, got " + gamma);
        }
        this.target = target;
        this.proposer = proposer;
        this.gamma = gamma;
    }

    /** Drafts with a draft model (same vocabulary; the sequences' block tables on its own cache). */
    public static SpeculativeDecodeLoop withDraftModel(StepTarget target, DraftProposer draft, int gamma) {
        return new SpeculativeDecodeLoop(target, draft, gamma);
    }

    /** Drafts by prompt lookup over each sequence's prompt and output. */
    public static SpeculativeDecodeLoop withPromptLookup(StepTarget target, int gamma, int minNgram, int maxNgram) {
        return new SpeculativeDecodeLoop(target, new PromptLookupProposer(minNgram, maxNgram), gamma);
    }

    /** The first {@code newTokens} output tokens of each sequence (what plain decoding would give). */
    public Outcome run(List<DecodeSequence> sequences, int newTokens) {
        int n = sequences.size();
        int[][] outputs = new int[n][newTokens];
        int[] produced = new int[n];
        DraftCache[] caches = new DraftCache[n];
        Arrays.setAll(caches, b -> new DraftCache());
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
            DraftProposal[] drafts = propose(sequences, outputs, produced, caches, active, newTokens);

            List<SequenceStep> steps = new ArrayList<>(active.size());
            for (int b : active) {
                DecodeSequence s = sequences.get(b);
                steps.add(Verification.step(s.id(), outputs[b][produced[b] - 1], s.prompt().length + produced[b] - 1,
                        s.blockTable(), s.row(outputs[b], produced[b]), drafts[b]));
            }
            List<SequenceResult> results = target.step(steps);
            for (int i = 0; i < active.size(); i++) {
                int b = active.get(i);
                int[] emitted = results.get(i).acceptedTokens();
                int acceptedDrafts = Verification.acceptedDrafts(emitted);
                caches[b].keepWithin(sequences.get(b).prompt().length + produced[b] + acceptedDrafts);
                System.arraycopy(emitted, 0, outputs[b], produced[b], emitted.length);
                produced[b] += emitted.length;
                proposed += drafts[b].tokens().length;
                accepted += acceptedDrafts;
                verifications++;
            }
        }
    }

    /** The proposal for each active sequence (none where it may not add a draft). */
    private DraftProposal[] propose(List<DecodeSequence> sequences, int[][] outputs, int[] produced,
            DraftCache[] caches, List<Integer> active, int newTokens) {
        DraftProposal[] drafts = new DraftProposal[sequences.size()];
        List<DraftRequest> requests = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int b : active) {
            DecodeSequence s = sequences.get(b);
            int budget = Math.min(gamma, Verification.maxDrafts(newTokens - produced[b]));
            drafts[b] = new DraftProposal(s.id(), new int[0], null);
            if (budget == 0) {
                continue;
            }
            int[] context = context(s, outputs[b], produced[b]);
            int cached = caches[b].cachedTokens();
            requests.add(new DraftRequest(s.id(), Arrays.copyOfRange(context, cached, context.length), cached,
                    s.blockTable(), s.row(outputs[b], produced[b]), budget,
                    proposer.isDraftModel() && !s.params().greedy()));
            owners.add(b);
        }
        if (requests.isEmpty()) {
            return drafts;
        }
        List<DraftProposal> proposals = proposer.propose(requests);
        for (int i = 0; i < owners.size(); i++) {
            int b = owners.get(i);
            drafts[b] = proposals.get(i);
            if (proposer.isDraftModel()) {
                caches[b].proposed(requests.get(i).startPosition() + requests.get(i).tokens().length,
                        requests.get(i).numTokens());
            }
        }
        return drafts;
    }

    private static int[] context(DecodeSequence s, int[] output, int produced) {
        int[] context = Arrays.copyOf(s.prompt(), s.prompt().length + produced);
        System.arraycopy(output, 0, context, s.prompt().length, produced);
        return context;
    }
}
