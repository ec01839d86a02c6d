package dev.llmserve.gateway.batch.run;

import dev.llmserve.gateway.batch.store.BatchError;
import dev.llmserve.gateway.batch.store.BatchStatus;
import dev.llmserve.gateway.batch.store.LineResult;
import dev.llmserve.gateway.batch.store.RequestCounts;
import dev.llmserve.gateway.batch.store.StoredBatch;
import dev.llmserve.gateway.batch.store.StoredFile;
import dev.llmserve.gateway.error.OpenAiException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * One batch driven by this gateway instance: a state machine that only the driver's thread touches
 * (asynchronous work reports back on that thread).
 * <ul>
 * <li>Loading: read the input file. A "validating" batch is checked and stored as "in_progress"; an
 * "in_progress" one resumes with the results already stored, so after a restart only the lines
 * without a result run again.</li>
 * <li>Running: lines run within the gateway's window; a line's result is stored before its place
 * frees. A line that failed runs again under a fresh request id: at once if its request was lost
 * (no progress), after a growing pause otherwise, and at most {@code max-attempts} times when the
 * scheduler itself ended it abnormally.</li>
 * <li>Stopping (cancel mark or expiry): no new line starts, in-flight requests are cancelled, and
 * results already being stored are awaited.</li>
 * <li>Finalizing: output and error files, then the final snapshot.</li>
 * </ul>
 */
final class BatchRun {

    private static final Logger log = LoggerFactory.getLogger(BatchRun.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STEP_RETRY = Duration.ofSeconds(2);

    private enum Phase { LOADING, RUNNING, STOPPING, FINALIZING, DONE }

    /** A line's place in the window: its running attempt, until its result is being stored. */
    private static final class Slot {
        private Disposable generation;
        private boolean storing;

        void cancel() {
            if (generation != null) {
                generation.dispose();
            }
        }
    }

    private record Retry(int line, long dueNanos) {}

    private final RunContext context;
    private final Map<Integer, LineResult> results = new HashMap<>();
    private final Map<Integer, Slot> inFlight = new HashMap<>();
    private final Deque<Integer> ready = new ArrayDeque<>();
    private final PriorityQueue<Retry> retries = new PriorityQueue<>(Comparator.comparingLong(Retry::dueNanos));
    /** Attempts per line that the scheduler answered and ended abnormally. */
    private final Map<Integer, Integer> counted = new HashMap<>();
    /** Failures per line, for the growing pause. */
    private final Map<Integer, Integer> failures = new HashMap<>();
    private StoredBatch batch;
    private Phase phase = Phase.LOADING;
    private BatchStatus ending;
    private List<LinePlan> lines;
    /** An asynchronous step of the phase (load, a snapshot, finalizing) is under way. */
    private boolean busy;
    private boolean abandoned;
    private long pausedUntilNanos;

    BatchRun(StoredBatch batch, RunContext context) {
        this.batch = batch;
        this.context = context;
    }

    String id() {
        return batch.id();
    }

    /** Runs are given window places oldest first. */
    long createdAt() {
        return batch.createdAt();
    }

    boolean done() {
        return phase == Phase.DONE;
    }

    int linesInFlight() {
        return inFlight.size();
    }

    /** @param slots how many lines this run may start now: the free places of the gateway's window */
    void tick(int slots) {
        if (phase == Phase.DONE || busy || System.nanoTime() < pausedUntilNanos) {
            return;
        }
        switch (phase) {
            case LOADING -> {
                BatchStatus stop = stopReason();
                if (stop != null) {
                    stop(stop);
                } else {
                    load();
                }
            }
            case RUNNING -> run(slots);
            case STOPPING -> {
                if (inFlight.isEmpty()) {
                    phase = Phase.FINALIZING;
                    finish();
                }
            }
            case FINALIZING -> finish();
            default -> { }
        }
    }

    /**
     * Stops driving without writing anything more (the instance stops, or another one takes the batch
     * over); steps under way finish, but their outcome is ignored.
     */
    void abandon() {
        abandoned = true;
        inFlight.values().forEach(Slot::cancel);
        inFlight.clear();
        phase = Phase.DONE;
    }

    private BatchStatus stopReason() {
        if (context.store().cancelMark(batch.id()).isPresent()) {
            return BatchStatus.CANCELLED;
        }
        if (Instant.now().getEpochSecond() >= batch.expiresAt()) {
            return BatchStatus.EXPIRED;
        }
        return null;
    }

    private void load() {
        Optional<StoredFile> input = context.store().file(batch.inputFileId());
        if (input.isEmpty()) {
            fail(new BatchError("invalid_file", "The input file " + batch.inputFileId() + " does not exist",
                    "input_file_id", null));
            return;
        }
        busy = true;
        context.contents().read(input.get())
                .collect(ByteArrayOutputStream::new, ByteArrayOutputStream::writeBytes)
                .map(content -> context.inputs().parse(content.toByteArray(), batch.endpoint(),
                        context.executor().served()))
                .publishOn(context.driver())
                .subscribe(this::loaded, failure -> stepFailed("reading the input file", failure));
    }

    private void loaded(List<LinePlan> parsed) {
        busy = false;
        if (abandoned) {
            return;
        }
        switch (batch.batchStatus()) {
            case VALIDATING -> validated(parsed);
            case FINALIZING -> {
                resume(parsed);
                ending = BatchStatus.COMPLETED;
                phase = Phase.FINALIZING;
            }
            default -> resume(parsed);
        }
    }

    private void validated(List<LinePlan> parsed) {
        int maxLines = context.properties().maxLines();
        if (parsed.isEmpty()) {
            fail(new BatchError("empty_file", "The input file holds no request lines", "input_file_id", null));
        } else if (parsed.size() > maxLines) {
            fail(new BatchError("too_many_requests", "The input file holds " + parsed.size()
                    + " requests; a batch takes at most " + maxLines, "input_file_id", null));
        } else {
            write(batch.to(BatchStatus.IN_PROGRESS, Instant.now().getEpochSecond())
                    .withCounts(new RequestCounts(parsed.size(), 0, 0)), () -> resume(parsed));
        }
    }

    private void resume(List<LinePlan> parsed) {
        lines = parsed;
        results.putAll(context.store().results(batch.id()));
        for (int i = 0; i < lines.size(); i++) {
            if (!results.containsKey(i)) {
                ready.add(i);
            }
        }
        phase = Phase.RUNNING;
        log.info("Driving batch {}: {} lines, {} already done", batch.id(), lines.size(), results.size());
    }

    private void run(int slots) {
        BatchStatus stop = stopReason();
        if (stop != null) {
            stop(stop);
            return;
        }
        for (int started = 0; started < slots; started++) {
            Integer next = nextLine();
            if (next == null) {
                break;
            }
            launch(next);
        }
        if (ready.isEmpty() && retries.isEmpty() && inFlight.isEmpty()) {
            ending = BatchStatus.COMPLETED;
            phase = Phase.FINALIZING;
            finish();
        }
    }

    private Integer nextLine() {
        Retry due = retries.peek();
        if (due != null && due.dueNanos() <= System.nanoTime()) {
            return retries.poll().line();
        }
        return ready.poll();
    }

    private void launch(int line) {
        Slot slot = new Slot();
        inFlight.put(line, slot);
        LinePlan plan = lines.get(line);
        if (plan instanceof LinePlan.Invalid invalid) {
            store(line, slot, result(line, false, context.outputs().lineError(batch.id(), line, invalid.customId(),
                    invalid.code(), invalid.message())));
            return;
        }
        slot.generation = context.executor().attempt(batch.id(), batch.endpoint(), line, (LinePlan.Request) plan)
                .publishOn(context.driver())
                .subscribe(outcome -> attempted(line, slot, outcome));
    }

    private void attempted(int line, Slot slot, LineOutcome outcome) {
        if (inFlight.get(line) != slot) {
            return;
        }
        if (outcome instanceof LineOutcome.Done done) {
            store(line, slot, result(line, done.ok(), done.output()));
        } else {
            retry(line, slot, (LineOutcome.Retry) outcome);
        }
    }

    private void retry(int line, Slot slot, LineOutcome.Retry retry) {
        context.metrics().retried(retry.reason());
        if (retry.counted() && counted.merge(line, 1, Integer::sum) >= context.properties().maxAttempts()) {
            log.warn("Line {} of batch {} failed {} times; the last: {}", lines.get(line).number(), batch.id(),
                    context.properties().maxAttempts(), retry.failure().getMessage());
            OpenAiException failure = retry.failure() instanceof OpenAiException e ? e
                    : OpenAiException.serverError("The request failed: " + retry.failure().getMessage());
            store(line, slot, result(line, false, context.outputs().httpError(batch.id(), line,
                    lines.get(line).customId(), retry.requestId(), failure)));
            return;
        }
        inFlight.remove(line);
        long pause = retry.reason().equals("no_progress") ? 0 : backoff(failures.merge(line, 1, Integer::sum));
        retries.add(new Retry(line, System.nanoTime() + pause));
        log.info("Line {} of batch {} runs again ({}, request {}): {}", lines.get(line).number(), batch.id(),
                retry.reason(), retry.requestId(), retry.failure().toString());
    }

    private long backoff(int failure) {
        long first = context.properties().retryBackoff().toNanos();
        return Math.min(first << Math.min(failure - 1, 20), MAX_BACKOFF.toNanos());
    }

    private LineResult result(int line, boolean ok, String output) {
        return new LineResult(LineResult.VERSION, batch.id(), line, ok, output);
    }

    /** The line keeps its place until the broker has its result; a write that fails is tried again. */
    private void store(int line, Slot slot, LineResult result) {
        slot.storing = true;
        context.writer().writeResult(result)
                .publishOn(context.driver())
                .subscribe(stored -> stored(line, slot, stored), failure -> storeFailed(line, slot, result, failure));
    }

    private void stored(int line, Slot slot, LineResult result) {
        if (inFlight.get(line) != slot) {
            return;
        }
        inFlight.remove(line);
        results.put(line, result);
        context.metrics().lineDone(result.ok());
        context.wake().run();
    }

    private void storeFailed(int line, Slot slot, LineResult result, Throwable failure) {
        if (inFlight.get(line) != slot) {
            return;
        }
        if (failure instanceof RecordTooLargeException || failure.getCause() instanceof RecordTooLargeException) {
            store(line, slot, result(line, false, context.outputs().lineError(batch.id(), line,
                    lines.get(line).customId(), "result_too_large",
                    "The response is larger than the broker's record size limit and could not be stored")));
            return;
        }
        log.warn("Storing the result of line {} of batch {} failed, retrying: {}", line, batch.id(), failure.toString());
        context.driver().schedule(() -> {
            if (inFlight.get(line) == slot) {
                store(line, slot, result);
            }
        }, STEP_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stop(BatchStatus reason) {
        ending = reason;
        inFlight.values().removeIf(slot -> {
            if (slot.storing) {
                return false;
            }
            slot.cancel();
            return true;
        });
        ready.clear();
        retries.clear();
        phase = Phase.STOPPING;
        log.info("Stopping batch {} ({}); {} results still being stored", batch.id(), reason.wireName(), inFlight.size());
    }

    private void finish() {
        busy = true;
        context.finalizer().finish(batch, lines, Map.copyOf(results), ending, context.store().cancelMark(batch.id()))
                .publishOn(context.driver())
                .subscribe(ended -> {
                    busy = false;
                    batch = ended;
                    phase = Phase.DONE;
                    if (abandoned) {
                        return;
                    }
                    log.info("Batch {} {}: {}", ended.id(), ended.status(), ended.counts());
                }, failure -> stepFailed("finalizing", failure));
    }

    private void fail(BatchError error) {
        log.info("Batch {} failed: {}", batch.id(), error.message());
        write(batch.to(BatchStatus.FAILED, Instant.now().getEpochSecond()).withErrors(List.of(error)),
                () -> phase = Phase.DONE);
    }

    private void write(StoredBatch next, Runnable then) {
        busy = true;
        context.writer().writeBatch(next)
                .publishOn(context.driver())
                .subscribe(written -> {
                    busy = false;
                    batch = written;
                    if (!abandoned) {
                        then.run();
                    }
                }, failure -> stepFailed("storing its state", failure));
    }

    private void stepFailed(String step, Throwable failure) {
        busy = false;
        if (abandoned) {
            return;
        }
        pausedUntilNanos = System.nanoTime() + STEP_RETRY.toNanos();
        log.warn("Batch {}: {} failed, retrying: {}", batch.id(), step, failure.toString());
    }
}
