package dev.llmserve.gateway.batch.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * {@code llmserve_gateway_batch_runs} (batches this instance drives), {@code
 * llmserve_gateway_batch_lines_in_flight}, {@code llmserve_gateway_batch_lines_total{outcome}} and
 * {@code llmserve_gateway_batch_line_retries_total{reason}}.
 */
@Component
class BatchMetrics {

    private final MeterRegistry meters;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger linesInFlight = new AtomicInteger();

    BatchMetrics(MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("llmserve.gateway.batch.runs", runs, AtomicInteger::get)
                .description("Batches this gateway instance drives now").register(meters);
        Gauge.builder("llmserve.gateway.batch.lines.in.flight", linesInFlight, AtomicInteger::get)
                .description("Batch lines published or being stored, not yet done").register(meters);
    }

    void state(int activeRuns, int inFlight) {
        runs.set(activeRuns);
        linesInFlight.set(inFlight);
    }

    /** @param ok the line went to the output file rather than the error file */
    void lineDone(boolean ok) {
        Counter.builder("llmserve.gateway.batch.lines").description("Batch lines done, by the file they went to")
                .tag("outcome", ok ? "completed" : "failed").register(meters).increment();
    }

    void retried(String reason) {
        Counter.builder("llmserve.gateway.batch.line.retries")
                .description("Batch lines run again under a fresh request id, by reason")
                .tag("reason", reason).register(meters).increment();
    }
}
