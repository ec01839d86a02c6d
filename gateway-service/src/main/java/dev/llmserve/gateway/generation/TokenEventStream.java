package dev.llmserve.gateway.generation;

import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.protocol.kafka.TokenEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The token events of one request, in index order. Kafka may deliver an event twice (a producer retry,
 * a consumer restart): an index already seen is dropped. A gap means an event was lost, and the text
 * would be wrong, so the stream fails instead. Events may arrive before anyone subscribes; they are
 * buffered.
 */
final class TokenEventStream {

    private final String requestId;
    private final Sinks.Many<TokenEvent> sink = Sinks.many().unicast().onBackpressureBuffer();
    private int nextIndex;
    private boolean finished;

    TokenEventStream(String requestId) {
        this.requestId = requestId;
    }

    Flux<TokenEvent> events() {
        return sink.asFlux();
    }

    /** Called from the Kafka listener thread; synchronized against {@link #fail} from a timer. */
    synchronized void accept(TokenEvent event) {
        if (finished || event.index() < nextIndex) {
            return;
        }
        if (event.index() > nextIndex) {
            fail(OpenAiException.serverError("Token events of request " + requestId + " were lost: expected index "
                    + nextIndex + ", got " + event.index()));
            return;
        }
        nextIndex++;
        sink.tryEmitNext(event);
        if (event.isLast()) {
            finished = true;
            sink.tryEmitComplete();
        }
    }

    synchronized void fail(Throwable failure) {
        if (!finished) {
            finished = true;
            sink.tryEmitError(failure);
        }
    }
}
