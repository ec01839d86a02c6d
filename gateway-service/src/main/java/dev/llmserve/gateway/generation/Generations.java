package dev.llmserve.gateway.generation;

import dev.llmserve.gateway.kafka.RequestPublisher;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.protocol.kafka.TokenEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a request through the serving pipeline: admits it, publishes it once to Kafka and relays its
 * token events. When the subscriber goes away (client disconnect) or the gateway gives up on it
 * (timeout, lost events) a cancel is published so the scheduler frees its sequence.
 */
@Service
public class Generations {

    private final InFlightRequests inFlight;
    private final RequestPublisher publisher;

    Generations(InFlightRequests inFlight, RequestPublisher publisher) {
        this.inFlight = inFlight;
        this.publisher = publisher;
    }

    /**
     * Admits the request now (429 if too many interactive ones are pending); it is published when the
     * returned flux is subscribed, and the flux ends after the event that carries the finish reason.
     */
    public Flux<TokenEvent> submit(GenerationRequest request) {
        String id = request.requestId();
        TokenEventStream stream = inFlight.open(id, request.priority() != Priority.BATCH);
        return publisher.publish(request)
                .thenMany(stream.events())
                // events arrive on the Kafka listener thread; serialising and writing them must not hold it
                .publishOn(Schedulers.parallel())
                .doOnCancel(() -> publisher.cancel(id))
                .doOnError(failure -> publisher.cancel(id))
                .doFinally(signal -> inFlight.close(id));
    }
}
