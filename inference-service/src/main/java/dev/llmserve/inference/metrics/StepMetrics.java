package dev.llmserve.inference.metrics;

import dev.llmserve.engine.step.SequenceStep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Per-step meters, exported to Prometheus as {@code llmserve_step_*}. */
@Component
public class StepMetrics {

    private final Timer duration;
    private final DistributionSummary tokens;
    private final DistributionSummary sequences;
    private final Counter rejected;

    public StepMetrics(MeterRegistry registry) {
        this.duration = Timer.builder("llmserve.step.duration")
                .description("Time the model takes for one step (forward pass and sampling)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.tokens = DistributionSummary.builder("llmserve.step.tokens")
                .description("New tokens processed in one step, over all its sequences")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(65536.0)
                .register(registry);
        this.sequences = DistributionSummary.builder("llmserve.step.sequences")
                .description("Sequences in one step")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(4096.0)
                .register(registry);
        this.rejected = Counter.builder("llmserve.step.rejected")
                .description("Step and copy requests answered INVALID_ARGUMENT")
                .register(registry);
    }

    public void recordStep(List<SequenceStep> steps, long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
        tokens.record(steps.stream().mapToInt(s -> s.tokens().length).sum());
        sequences.record(steps.size());
    }

    public void recordRejected() {
        rejected.increment();
    }
}
