package dev.llmserve.batching.core;

import dev.llmserve.engine.output.OutputDelta;
import dev.llmserve.engine.sampling.SampledToken;
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
 * The serving engine, one step at a time: schedule → execute on the model shard → postprocess
 * (append the sampled tokens, stream their text, finish sequences and free their blocks). Every
 * event a call produces goes into the given {@link OutboundEvents}. Single-threaded: the
 * {@link EngineLoop} drives it.
 */
public final class ServingEngine {

    private static final Logger log = LoggerFactory.getLogger(ServingEngine.class);
    /** How many request ids are remembered for deduplication: far more than are ever in flight. */
    private static final int DEDUPLICATION_WINDOW = 100_000;

    private final Scheduler scheduler;
    private final StepExecutor executor;
    private final SequenceFactory sequences;
    private final EngineMetrics metrics;
    private final TokenEvents events;
    private final SeenRequests seen = new SeenRequests(DEDUPLICATION_WINDOW);
    private final Map<String, Sequence> active = new HashMap<>();
    private long nextSequenceId;

    public ServingEngine(Scheduler scheduler, StepExecutor executor, SequenceFactory sequences,
            IntFunction<String> tokenPieces, EngineMetrics metrics) {
        this.scheduler = scheduler;
        this.executor = executor;
        this.sequences = sequences;
        this.metrics = metrics;
        this.events = new TokenEvents(tokenPieces);
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
        List<SequenceStep> steps = new ArrayList<>(batch.size());
        for (ScheduledSequence s : batch.sequences()) {
            steps.add(toStep(s));
        }
        List<SequenceResult> results;
        try {
            results = executor.step(steps);
            checkResults(steps, results);
        } catch (RuntimeException e) {
            // what the shard's cache holds for these sequences is unknown now, so they cannot go on
            log.error("a step over {} sequences failed; they end with an error", batch.size(), e);
            for (ScheduledSequence s : batch.sequences()) {
                end(s.sequence(), "the model step failed: " + e.getMessage(), out);
            }
            return batch;
        }
        metrics.stepExecuted(batch.size());
        long now = System.nanoTime();
        for (int i = 0; i < steps.size(); i++) {
            postprocess(batch.sequences().get(i), results.get(i), now, out);
        }
        return batch;
    }

    /** Reports queue lengths and block use to the metrics. */
    public void reportState() {
        BlockManager blocks = scheduler.blockManager();
        metrics.state(scheduler.numRunning(), scheduler.numWaiting(), blocks.numUsedBlocks(), blocks.numBlocks());
    }

    private static SequenceStep toStep(ScheduledSequence s) {
        Sequence seq = s.sequence();
        int start = seq.numComputedTokens();
        return new SequenceStep(seq.id(), seq.nextTokens(s.numTokens()), start, seq.blockTableArray(),
                s.samples() ? OutputMode.SAMPLE : OutputMode.NONE, s.samples() ? seq.samplingRow() : null);
    }

    private static void checkResults(List<SequenceStep> steps, List<SequenceResult> results) {
        if (results.size() != steps.size()) {
            throw new IllegalStateException("the shard answered " + results.size() + " results for "
                    + steps.size() + " sequences");
        }
        for (int i = 0; i < steps.size(); i++) {
            if (results.get(i).sequenceId() != steps.get(i).sequenceId()
                    || (steps.get(i).output() == OutputMode.SAMPLE && results.get(i).sampled() == null)) {
                throw new IllegalStateException("the shard's result " + i + " does not answer sequence "
                        + steps.get(i).sequenceId());
            }
        }
    }

    private void postprocess(ScheduledSequence s, SequenceResult result, long now, OutboundEvents out) {
        Sequence seq = s.sequence();
        seq.markComputed(s.numTokens());
        if (!s.samples()) {
            return;
        }
        SampledToken token = result.sampled();
        long previous = seq.lastTokenNanos();
        OutputDelta delta = seq.appendToken(token.tokenId(), now);
        if (previous < 0) {
            metrics.timeToFirstToken(seq.firstTokenNanos() - seq.arrivalNanos());
        } else {
            metrics.interTokenLatency(now - previous);
        }
        out.add(seq.replyTopic(), events.sampled(seq, token, delta));
        if (delta.isFinished()) {
            scheduler.finish(seq);
            active.remove(seq.requestId());
            metrics.requestFinished(now - seq.arrivalNanos());
        }
    }

    private void end(Sequence seq, String error, OutboundEvents out) {
        scheduler.finish(seq);
        active.remove(seq.requestId());
        out.add(seq.replyTopic(), events.ended(seq, error));
    }
}
