package dev.llmserve.draft.metrics;

import dev.llmserve.engine.speculative.DraftProposal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Per-call meters, exported to Prometheus as {@code llmserve_draft_*}. */
@Component
public class ProposeMetrics {

    private final Timer propose;
    private final Counter proposedTokens;
    private final Counter rejected;

    public ProposeMetrics(MeterRegistry registry) {
        this.propose = Timer.builder("llmserve.draft.propose")
                .description("Time the draft model takes for one Propose call (all γ draft steps of its batch)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.proposedTokens = Counter.builder("llmserve.draft.proposed.tokens")
                .description("Draft tokens proposed, over all sequences")
                .register(registry);
        this.rejected = Counter.builder("llmserve.draft.rejected")
                .description("Propose and CopyBlocks calls answered INVALID_ARGUMENT")
                .register(registry);
    }

    public void recordPropose(List<DraftProposal> proposals, long nanos) {
        propose.record(nanos, TimeUnit.NANOSECONDS);
        proposedTokens.increment(proposals.stream().mapToInt(p -> p.tokens().length).sum());
    }

    public void recordRejected() {
        rejected.increment();
    }
}
