package dev.llmserve.batching.metrics;

import dev.llmserve.batching.core.EngineMetrics;
import dev.llmserve.batching.core.PriorityCounts;
import dev.llmserve.protocol.kafka.Priority;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's metrics in Micrometer, named so that Prometheus shows them as
 * {@code llmserve_requests_running}, {@code llmserve_kv_blocks_total}, {@code llmserve_preemptions_total},
 * {@code llmserve_time_to_first_token_seconds_bucket} and so on; speculative decoding's begin with
 * {@code llmserve_spec_}. Latencies and batch sizes publish histogram buckets, so percentiles can be
 * computed across instances. Queue lengths and time to first token are also split by request
 * priority in sibling series with a {@code priority} tag ({@code interactive}, {@code batch}), so the
 * untagged totals stay exactly what they were.
 */
public final class MicrometerEngineMetrics implements EngineMetrics {

    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<Priority, AtomicInteger> runningByPriority = new EnumMap<>(Priority.class);
    private final Map<Priority, AtomicInteger> waitingByPriority = new EnumMap<>(Priority.class);
    private final Map<Priority, Timer> timeToFirstTokenByPriority = new EnumMap<>(Priority.class);
    private final AtomicInteger blocksUsed = new AtomicInteger();
    private final AtomicInteger blocksTotal = new AtomicInteger();
    private final Counter preemptions;
    private final Timer timeToFirstToken;
    private final Timer interTokenLatency;
    private final Timer endToEndLatency;
    private final DistributionSummary batchSize;
    private final Counter draftTokens;
    private final Counter acceptedTokens;
    private final DistributionSummary tokensPerVerification;
    private final Timer draftTime;
    private final Timer verifyTime;

    public MicrometerEngineMetrics(MeterRegistry registry, int maxNumSeqs) {
        gauge(registry, "llmserve.requests.running", running, "Requests in the running batch");
        gauge(registry, "llmserve.requests.waiting", waiting, "Requests waiting to be admitted");
        for (Priority priority : Priority.values()) {
            runningByPriority.put(priority, priorityGauge(registry, "llmserve.requests.running.by.priority", priority,
                    "Requests in the running batch, per priority"));
            waitingByPriority.put(priority, priorityGauge(registry, "llmserve.requests.waiting.by.priority", priority,
                    "Requests waiting to be admitted, per priority"));
            timeToFirstTokenByPriority.put(priority, latencyBuilder("llmserve.time.to.first.token.by.priority",
                    "From a request's arrival to its first token, per priority", Duration.ofMinutes(5))
                    .tag("priority", priority.wireName())
                    .register(registry));
        }
        gauge(registry, "llmserve.kv.blocks.used", blocksUsed, "KV cache blocks held by sequences");
        // Prometheus reserves the _total suffix for counters (a gauge's would be stripped); the block count
        // never falls, so a counter function gives it the agreed name
        FunctionCounter.builder("llmserve.kv.blocks", blocksTotal, AtomicInteger::get)
                .description("KV cache blocks of the model shard")
                .register(registry);
        preemptions = Counter.builder("llmserve.preemptions")
                .description("Sequences preempted (recompute) because KV blocks ran out")
                .register(registry);
        timeToFirstToken = latency(registry, "llmserve.time.to.first.token",
                "From a request's arrival to its first token", Duration.ofMinutes(5));
        interTokenLatency = latency(registry, "llmserve.inter.token.latency",
                "Between consecutive tokens of a request", Duration.ofMinutes(1));
        endToEndLatency = latency(registry, "llmserve.e2e.request.latency",
                "From a request's arrival to its last token", Duration.ofMinutes(30));
        batchSize = DistributionSummary.builder("llmserve.batch.size")
                .description("Sequences per step")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue((double) Math.max(2, maxNumSeqs))
                .register(registry);
        draftTokens = Counter.builder("llmserve.spec.draft.tokens")
                .description("Draft tokens proposed to verifications")
                .register(registry);
        acceptedTokens = Counter.builder("llmserve.spec.accepted.tokens")
                .description("Draft tokens the target accepted")
                .register(registry);
        Gauge.builder("llmserve.spec.acceptance.rate", this, MicrometerEngineMetrics::acceptanceRate)
                .description("Accepted / proposed draft tokens since start (NaN before the first verification)")
                .register(registry);
        tokensPerVerification = DistributionSummary.builder("llmserve.spec.accepted.tokens.per.step")
                .description("Tokens one verification gives a sequence: the accepted drafts plus the target's token")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(16.0)
                .register(registry);
        draftTime = latency(registry, "llmserve.spec.draft", "Drafting for one step's speculating sequences",
                Duration.ofSeconds(10));
        verifyTime = latency(registry, "llmserve.spec.verify", "Target steps that verified drafts",
                Duration.ofSeconds(10));
    }

    private double acceptanceRate() {
        return draftTokens.count() == 0 ? Double.NaN : acceptedTokens.count() / draftTokens.count();
    }

    private static void gauge(MeterRegistry registry, String name, AtomicInteger value, String description) {
        Gauge.builder(name, value, AtomicInteger::get).description(description).register(registry);
    }

    private static AtomicInteger priorityGauge(MeterRegistry registry, String name, Priority priority,
            String description) {
        AtomicInteger value = new AtomicInteger();
        Gauge.builder(name, value, AtomicInteger::get).description(description).tag("priority", priority.wireName())
                .register(registry);
        return value;
    }

    private static Timer latency(MeterRegistry registry, String name, String description, Duration max) {
        return latencyBuilder(name, description, max).register(registry);
    }

    private static Timer.Builder latencyBuilder(String name, String description, Duration max) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(max);
    }

    @Override
    public void stepExecuted(int size) {
        batchSize.record(size);
    }

    @Override
    public void preempted(int count) {
        preemptions.increment(count);
    }

    @Override
    public void timeToFirstToken(Priority priority, long nanos) {
        timeToFirstToken.record(nanos, TimeUnit.NANOSECONDS);
        timeToFirstTokenByPriority.get(priority).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void interTokenLatency(long nanos) {
        interTokenLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void requestFinished(long nanos) {
        endToEndLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void drafted(long nanos) {
        draftTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void verifyStepExecuted(long nanos) {
        verifyTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void verified(int proposed, int accepted) {
        draftTokens.increment(proposed);
        acceptedTokens.increment(accepted);
        tokensPerVerification.record(accepted + 1);
    }

    @Override
    public void state(PriorityCounts runningNow, PriorityCounts waitingNow, int used, int total) {
        running.set(runningNow.total());
        waiting.set(waitingNow.total());
        for (Priority priority : Priority.values()) {
            runningByPriority.get(priority).set(runningNow.of(priority));
            waitingByPriority.get(priority).set(waitingNow.of(priority));
        }
        blocksUsed.set(used);
        blocksTotal.set(total);
    }
}
