package dev.llmserve.batching.speculative;

import dev.llmserve.batching.core.EngineMetrics;
import dev.llmserve.batching.core.ScheduledBatch;
import dev.llmserve.batching.core.ScheduledSequence;
import dev.llmserve.batching.core.Sequence;
import dev.llmserve.engine.speculative.DraftCache;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.engine.speculative.Proposer;
import dev.llmserve.engine.speculative.Verification;
import dev.llmserve.protocol.kafka.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speculative decoding as deployed, and the one owner of its per-sequence state: which sequences
 * speculate, each one's γ ({@link Acceptance}), what the draft model's KV cache holds for it
 * ({@link DraftCache}), and its draft tokens accepted and rejected. The {@code Scheduler} asks it for
 * γ and tells it of preemptions; the {@code ServingEngine} has it propose the drafts of a batch,
 * reports each verification and asks for the usage a sequence reports. Sampled requests speculate
 * too: the verification's rejection sampling keeps the target's distribution. Single-threaded, like
 * the engine loop that drives it.
 */
public final class Speculator {

    private static final Logger log = LoggerFactory.getLogger(Speculator.class);

    private final Proposer proposer;
    private final int maxGamma;
    private final boolean adaptive;
    private final EngineMetrics metrics;
    private final Map<Long, Speculating> sequences = new HashMap<>();
    private boolean draftingFails;

    /** One speculating sequence's state. */
    private record Speculating(Acceptance acceptance, DraftCache draftCache) {}

    /**
     * @param proposer a draft model or prompt lookup; null: no sequence speculates
     * @param maxGamma the most draft tokens a sequence verifies per step
     * @param adaptive move each sequence's γ between 1 and {@code maxGamma} from its acceptance rate
     */
    public Speculator(Proposer proposer, int maxGamma, boolean adaptive, EngineMetrics metrics) {
        if (maxGamma < 1) {
            throw new IllegalArgumentException("speculative gamma must be at least 1, got " + maxGamma);
        }
        this.proposer = proposer;
        this.maxGamma = maxGamma;
        this.adaptive = adaptive;
        this.metrics = metrics;
    }

    /** Every sequence decodes plainly (so nothing is ever measured). */
    public static Speculator off() {
        return new Speculator(null, 1, false, null);
    }

    /**
     * A new sequence speculates unless the deployment does not, the request opted out
     * ({@code "speculative": false}), or it asks for logprobs, which a verification does not return.
     *
     * @param requested the request's {@code speculative} field; null: the deployment's default
     */
    public void admit(Sequence seq, Boolean requested) {
        if (proposer != null && !Boolean.FALSE.equals(requested) && seq.sampling().logprobs() < 0) {
            sequences.put(seq.id(), new Speculating(new Acceptance(maxGamma, adaptive), new DraftCache()));
        }
    }

    /** Draft tokens the sequence would propose in its next decode, before the scheduler's caps (0: plain). */
    public int gamma(Sequence seq) {
        Speculating s = sequences.get(seq.id());
        return s == null ? 0 : s.acceptance().gamma();
    }

    /** The sequence's blocks were freed (recompute preemption), and the draft's K/V with them. */
    public void preempted(Sequence seq) {
        Speculating s = sequences.get(seq.id());
        if (s != null) {
            s.draftCache().lost();
        }
    }

    /**
     * The proposal for each scheduled sequence with draft slots, of at most its slots; null elsewhere,
     * and everywhere when drafting fails: the target then decodes without drafts, so a failing
     * proposer costs speed, not requests.
     */
    public DraftProposal[] propose(ScheduledBatch batch) {
        DraftProposal[] drafts = new DraftProposal[batch.size()];
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.sequences().get(i).draftSlots() > 0) {
                positions.add(i);
            }
        }
        if (positions.isEmpty()) {
            return drafts;
        }
        long started = System.nanoTime();
        try {
            List<ScheduledSequence> decodes = positions.stream().map(batch.sequences()::get).toList();
            List<DraftProposal> proposals = propose(decodes);
            metrics.drafted(System.nanoTime() - started);
            for (int j = 0; j < proposals.size(); j++) {
                drafts[positions.get(j)] = proposals.get(j);
            }
            if (draftingFails) {
                log.info("drafting works again");
                draftingFails = false;
            }
        } catch (RuntimeException e) {
            if (!draftingFails) {
                log.warn("drafting failed; speculating sequences decode plainly until it works again", e);
                draftingFails = true;
            }
        }
        return drafts;
    }

    /**
     * A draft model's request carries the tokens it has not run (from its cache's extent up to and
     * including the last accepted token: the whole context the first time, one or two tokens in a
     * steady run) at the same positions and block table as the target; prompt lookup's the whole context.
     */
    private List<DraftProposal> propose(List<ScheduledSequence> decodes) {
        List<DraftRequest> requests = new ArrayList<>(decodes.size());
        for (ScheduledSequence s : decodes) {
            Sequence seq = s.sequence();
            int cached = sequences.get(seq.id()).draftCache().cachedTokens();
            // q travels only where it is more than a point mass on the drafted token
            requests.add(new DraftRequest(seq.id(), seq.tokens(cached, seq.numTokens()), cached,
                    seq.blockTableArray(), seq.samplingRow(), s.draftSlots(),
                    proposer.isDraftModel() && !seq.sampling().greedy()));
        }
        List<DraftProposal> proposals = proposer.propose(requests);
        if (proposals.size() != requests.size()) {
            throw new IllegalStateException("the proposer answered " + proposals.size() + " proposals for "
                    + requests.size() + " sequences");
        }
        for (int i = 0; i < proposals.size(); i++) {
            DraftRequest request = requests.get(i);
            DraftProposal proposal = proposals.get(i);
            int tokens = proposal.tokens().length;
            // all checked before any bookkeeping changes: a bad answer leaves every sequence as it was
            if (proposal.sequenceId() != request.sequenceId()
                    || (proposer.isDraftModel() ? tokens != request.numTokens() : tokens > request.numTokens())
                    || (request.returnProbs() && proposal.probs() == null)
                    || (proposal.probs() != null && proposal.probs().length != tokens)) {
                throw new IllegalStateException("the proposer's proposal " + i + " does not answer sequence "
                        + request.sequenceId() + " with " + request.numTokens() + " tokens");
            }
        }
        if (proposer.isDraftModel()) {
            for (int i = 0; i < proposals.size(); i++) {
                Sequence seq = decodes.get(i).sequence();
                sequences.get(seq.id()).draftCache().proposed(seq.numTokens(), requests.get(i).numTokens());
            }
        }
        return proposals;
    }

    /**
     * A verification of {@code proposed} drafts emitted {@code emitted}, and the sequence has taken
     * what it keeps of them into its computed tokens: the draft's cache keeps no more than that.
     */
    public void verified(Sequence seq, int proposed, int[] emitted) {
        int accepted = Verification.acceptedDrafts(emitted);
        metrics.verified(proposed, accepted);
        Speculating s = sequences.get(seq.id());
        s.acceptance().verified(proposed, accepted);
        s.draftCache().keepWithin(seq.numComputedTokens());
    }

    /** What the sequence's last event reports; a speculating one adds its draft tokens accepted and rejected. */
    public Usage usage(Sequence seq) {
        Speculating s = sequences.get(seq.id());
        if (s == null) {
            return new Usage(seq.promptLength(), seq.numOutputTokens());
        }
        return new Usage(seq.promptLength(), seq.numOutputTokens(), s.acceptance().acceptedTokens(),
                s.acceptance().rejectedTokens());
    }

    /** The sequence is gone (finished, cancelled, failed): its state goes too. */
    public void finished(Sequence seq) {
        sequences.remove(seq.id());
    }
}
