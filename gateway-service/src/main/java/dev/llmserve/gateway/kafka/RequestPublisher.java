package dev.llmserve.gateway.kafka;

import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.protocol.kafka.CancelRequest;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Publishes requests and cancels, keyed by request id. */
@Component
public class RequestPublisher {

    private static final Logger log = LoggerFactory.getLogger(RequestPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;

    RequestPublisher(KafkaTemplate<String, byte[]> kafka) {
        this.kafka = kafka;
    }

    /** Completes once the broker has the request; fails with 503 if it cannot be queued. */
    public Mono<Void> publish(GenerationRequest request) {
        // send() may block while it fetches metadata, so it must not run on a Netty event loop
        return Mono.fromFuture(() -> kafka.send(Topics.REQUESTS, request.requestId(), MessageCodec.encode(request)))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(e -> OpenAiException.unavailable("The request could not be queued: " + e.getMessage()))
                .then();
    }

    /** Fire and forget: the scheduler also stops a request at its max tokens, so a lost cancel only costs time. */
    public void cancel(String requestId) {
        Mono.fromFuture(() -> kafka.send(Topics.CANCELS, requestId,
                        MessageCodec.encode(new CancelRequest(CancelRequest.VERSION, requestId))))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(sent -> log.debug("Cancelled {}", requestId),
                        e -> log.warn("Could not publish the cancel of {}: {}", requestId, e.getMessage()));
    }
}
