package dev.llmserve.gateway.generation;

import dev.llmserve.gateway.GatewayProperties;
import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.protocol.kafka.TokenEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * The requests this gateway instance is waiting on, by id: where their token events go, how many
 * there are (admission beyond {@code max-pending-requests} answers 429) and when each times out.
 * The timeout also cleans up a request whose response was never subscribed, so a slot cannot leak.
 * Batch lines are routed and timed out alike but not counted: their own window bounds them, and
 * they must not take interactive clients' places.
 */
@Component
public class InFlightRequests {

    private static final Logger log = LoggerFactory.getLogger(InFlightRequests.class);

    private record Entry(TokenEventStream stream, Disposable timeout, boolean counted) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final GatewayProperties properties;

    InFlightRequests(GatewayProperties properties, MeterRegistry meters) {
        this.properties = properties;
        Gauge.builder("llmserve.gateway.requests.in.flight", count, AtomicInteger::get)
                .description("Requests this gateway has published and not yet finished")
                .register(meters);
    }

    /**
     * Admits a request; a counted one fails with 429 when the pending limit is reached.
     *
     * @param counted whether the request takes one of the {@code max-pending-requests} places
     */
    TokenEventStream open(String requestId, boolean counted) {
        if (counted && count.incrementAndGet() > properties.maxPendingRequests()) {
            count.decrementAndGet();
            throw OpenAiException.tooManyRequests(properties.maxPendingRequests(), properties.retryAfter());
        }
        TokenEventStream stream = new TokenEventStream(requestId);
        Disposable timeout = Schedulers.parallel().schedule(() -> expire(requestId),
                properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        entries.put(requestId, new Entry(stream, timeout, counted));
        return stream;
    }

    /** Hands an event to its request; events of requests no longer waited on are dropped. */
    public void route(TokenEvent event) {
        Entry entry = entries.get(event.requestId());
        if (entry == null) {
            log.debug("Dropping token event {} of request {}: not in flight here", event.index(), event.requestId());
            return;
        }
        entry.stream().accept(event);
    }

    /** Idempotent. */
    void close(String requestId) {
        Entry entry = entries.remove(requestId);
        if (entry != null) {
            entry.timeout().dispose();
            if (entry.counted()) {
                count.decrementAndGet();
            }
        }
    }

    public int size() {
        return count.get();
    }

    private void expire(String requestId) {
        Entry entry = entries.get(requestId);
        if (entry != null) {
            entry.stream().fail(OpenAiException.timeout(properties.requestTimeout()));
            close(requestId);
        }
    }
}
