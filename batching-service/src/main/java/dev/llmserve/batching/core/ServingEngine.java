package dev.llmserve.batching.core;

import dev.llmserve.batching.speculative.Speculator;
import dev.llmserve.engine.output.OutputDelta;
import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.Verification;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.protocol.kafka.GenerationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving engine, one step at a time: schedule → draft (speculating decodes, by the
 * {@link Speculator}) → execute on the model shard → postprocess (append the sampled or verified
 * tokens, stream their text, finish sequences and free their blocks). Plain decodes, prompt chunks
 * and verifications share one target step. Every event a call produces goes into the given
 * {@link OutboundEvents}. Single-threaded: the {@link EngineLoop} drives it.
 */
public final class ServingEngine {

    private static final Logger log = LoggerFactory.getLogger(ServingEngine.class);
    /** How many request ids are remembered for deduplication: far more than are ever in flight. */
    private static final int DEDUPLICATION_WINDOW = 100_000;

    private final Scheduler scheduler;
    private final TargetModel target;
    private final SequenceFactory sequences;
    private final EngineMetrics metrics;
    private final TokenEvents events;
    private final Speculator speculator;
    private final SeenRequests seen = new SeenRequests(DEDUPLICATION_WINDOW);
    private final Map<String, Sequence> active = new HashMap<>();
    private long nextSequenceId;

    /** Speculates with the scheduler's {@link Speculator} (which may be off). */
    public ServingEngine(Scheduler scheduler, TargetModel target, SequenceFactory sequences,
            IntFunction<String> tokenPieces, EngineMetrics metrics) {
        this.scheduler = scheduler;
        this.target = target;
        this.sequences = sequences;
        this.metrics = metrics;
        this.speculator = scheduler.speculator();
        this.events = new TokenEvents(tokenPieces, speculator::usage);
    }

    /** Queues a request, unless this instance has already seen its id; an invalid one fails at once. */
    public void submit(GenerationRequest request, long arrivalNanos, OutboundEvents out) {
        if (request.requestId() == null || request.replyTopic() == null) {
            log.warn("dropping a request without id or reply topic: {}", request.requestId());
            return;
        }
        switch (seen.arrived(request.requestId())) {
            case DUPLICATE -> {
                log.debug("request {} was delivered again; it runs once", request.requestId());
                return;
            }
            case CANCELLED_BEFORE_ARRIVAL -> {
                out.add(request.replyTopic(), TokenEvents.rejected(request.requestId(),
                        request.promptTokens().size(), TokenEvents.CANCELLED, null));
                return;
            }
            case NEW -> { }
        }
        try {
            Sequence seq = sequences.create(nextSequenceId++, request, arrivalNanos);
            speculator.admit(seq, request.speculative());
            active.put(seq.requestId(), seq);
            scheduler.add(seq);
        } catch (InvalidRequestException e) {
            out.add(request.replyTopic(), TokenEvents.rejected(request.requestId(), request.promptTokens().size(),
                    TokenEvents.ERROR, e.getMessage()));
        }
    }

    /** Ends a request at once, wherever it is, and frees its blocks; unknown ids are remembered, not an error. */
    public void cancel(String requestId, OutboundEvents out) {
        Sequence seq = active.get(requestId);
        if (seq == null) {
            seen.cancelledUnknown(requestId);
            return;
        }
        end(seq, null, out);
    }

    /** Ends every open request with an error, e.g. on shutdown. */
    public void abortAll(String error, OutboundEvents out) {
        for (Sequence seq : List.copyOf(active.values())) {
            end(seq, error, out);
        }
    }

    public boolean hasWork() {
        return scheduler.hasWork();
    }

    /** Runs one iteration; returns the batch it ran (empty when there was nothing to run). */
    public ScheduledBatch step(OutboundEvents out) {
        ScheduledBatch batch = scheduler.schedule();
        if (batch.preempted() > 0) {
            metrics.preempted(batch.preempted());
        }
        if (batch.isEmpty()) {
            return batch;
        }
        DraftProposal[] drafts = speculator.propose(batch);
        List<SequenceStep> steps = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            steps.add(toStep(batch.sequences().get(i), drafts[i]));
        }
        List<SequenceResult> results;
        long started = System.nanoTime();
        try {
            results = target.step(steps);
            checkResults(steps, results);
        } catch (RuntimeException e) {
            // what the shard's cache holds for these sequences is unknown now, so they cannot go on
            log.error("a step over {} sequences failed; they end with an error", batch.size(), e);
            for (ScheduledSequence s : batch.sequences()) {
                end(s.sequence(), "the model step failed: " + e.getMessage(), out);
            }
            return batch;
        }
        long now = System.nanoTime();
        metrics.stepExecuted(batch.size());
        if (steps.stream().anyMatch(s -> s.output() == OutputMode.VERIFY)) {
            metrics.verifyStepExecuted(now - started);
        }
        for (int i = 0; i < steps.size(); i++) {
            postprocess(batch.sequences().get(i), steps.get(i), results.get(i), now, out);
        }
        return batch;
    }

    /** Reports queue lengths and block use to the metrics. */
    public void reportState() {
        BlockManager blocks = scheduler.blockManager();
        metrics.state(scheduler.runningCounts(), scheduler.waitingCounts(), blocks.numUsedBlocks(), blocks.numBlocks());
    }

    private static SequenceStep toStep(ScheduledSequence s, DraftProposal draft) {
        Sequence seq = s.sequence();
        int start = seq.numComputedTokens();
        if (draft != null && draft.tokens().length > 0) {
            return Verification.step(seq.id(), seq.nextTokens(1)[0], start, seq.blockTableArray(), seq.samplingRow(),
                    draft);
        }
        return new SequenceStep(seq.id(), seq.nextTokens(s.numTokens()), start, seq.blockTableArray(),
                s.samples() ? OutputMode.SAMPLE : OutputMode.NONE, s.samples() ? seq.samplingRow() : null);
    }

    private static void checkResults(List<SequenceStep> steps, List<SequenceResult> results) {
        if (results.size() != steps.size()) {
            throw new IllegalStateException("the shard answered " + results.size() + " results for "
                    + steps.size() + " sequences");
        }
        for (int i = 0; i < steps.size(); i++) {
            SequenceStep step = steps.get(i);
            SequenceResult result = results.get(i);
            boolean answered = switch (step.output()) {
                case SAMPLE -> result.sampled() != null;
                case VERIFY -> result.acceptedTokens() != null && result.acceptedTokens().length >= 1
                        && result.acceptedTokens().length <= step.draftCount() + 1;
                default -> true;
            };
            if (result.sequenceId() != step.sequenceId() || !answered) {
                throw new IllegalStateException("the shard's result " + i + " does not answer sequence "
                        + step.sequenceId());
            }
        }
    }

    private void postprocess(ScheduledSequence s, SequenceStep step, SequenceResult result, long now,
            OutboundEvents out) {
        Sequence seq = s.sequence();
        if (step.output() == OutputMode.VERIFY) {
            appendVerified(seq, step.draftCount(), result.acceptedTokens(), now, out);
        } else {
            seq.markComputed(s.numTokens());
            if (s.samples()) {
                appendSampled(seq, result.sampled(), now, out);
            }
        }
        if (s.draftSlots() > 0 && seq.status() == SequenceStatus.RUNNING) {
            scheduler.releaseDraftSlots(seq);
        }
    }

    private void appendSampled(Sequence seq, SampledToken token, long now, OutboundEvents out) {
        long previous = seq.lastTokenNanos();
        OutputDelta delta = seq.appendToken(token.tokenId(), now);
        recordLatency(seq, previous, 1, now);
        out.add(seq.replyTopic(), events.sampled(seq, token, delta));
        if (delta.isFinished()) {
            finished(seq, now);
        }
    }

    /**
     * Appends a verification's tokens one at a time, so a stop token, a stop string or max tokens
     * inside the accepted run ends the sequence at that token and the rest of the run is dropped.
     * The step wrote K/V for the last token and the drafts; those of the appended tokens but the
     * newest are now in the cache, and the rejected positions past them are simply not counted.
     */
    private void appendVerified(Sequence seq, int proposed, int[] accepted, long now, OutboundEvents out) {
        long previous = seq.lastTokenNanos();
        List<Integer> appended = new ArrayList<>(accepted.length);
        StringBuilder text = new StringBuilder();
        OutputDelta delta = null;
        for (int token : accepted) {
            delta = seq.appendToken(token, now);
            appended.add(token);
            text.append(delta.textDelta());
            if (delta.isFinished()) {
                break;
            }
        }
        seq.markComputed(appended.size());
        speculator.verified(seq, proposed, accepted);
        recordLatency(seq, previous, appended.size(), now);
        out.add(seq.replyTopic(), events.verified(seq, appended, text.toString(), delta.finished()));
        if (delta.isFinished()) {
            finished(seq, now);
        }
    }

    /** Tokens one step appends arrive together: they share the interval since the request's previous token. */
    private void recordLatency(Sequence seq, long previous, int tokens, long now) {
        int intervals = tokens;
        if (previous < 0) {
            metrics.timeToFirstToken(seq.priority(), seq.firstTokenNanos() - seq.arrivalNanos());
            previous = now;
            intervals--;
        }
        for (int i = 0; i < intervals; i++) {
            metrics.interTokenLatency((now - previous) / tokens);
        }
    }

    private void finished(Sequence seq, long now) {
        scheduler.finish(seq);
        active.remove(seq.requestId());
        speculator.finished(seq);
        metrics.requestFinished(now - seq.arrivalNanos());
    }

    private void end(Sequence seq, String error, OutboundEvents out) {
        scheduler.finish(seq);
        active.remove(seq.requestId());
        out.add(seq.replyTopic(), events.ended(seq, error));
        speculator.finished(seq);
    }
}
