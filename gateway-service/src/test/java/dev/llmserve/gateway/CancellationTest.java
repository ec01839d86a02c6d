package dev.llmserve.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.gateway.generation.InFlightRequests;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.Disposable;

/** A client that goes away makes the gateway publish a cancel and release the request. */
@GatewayIntegrationTest
class CancellationTest extends GatewayTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Autowired
    private InFlightRequests inFlight;

    @Test
    void aStreamingClientThatDisconnectsCancelsItsRequest() {
        try (ReplayingBatcher batcher = batcher(); TopicReader cancels = reader(Topics.CANCELS)) {
            CompletableFuture<List<String>> firstChunks = api()
                    .stream("/v1/chat/completions", chat("Once upon a time", "\"stream\":true,\"max_tokens\":40"))
                    .take(3)
                    .collectList()
                    .toFuture();
            GenerationRequest request = batcher.nextRequest();
            List<TokenEvent> events = ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds());
            batcher.send(request, events.subList(0, 4));

            assertThat(firstChunks.join()).hasSize(3);

            awaitCancel(cancels, request.requestId(), WAIT);
            awaitNothingInFlight();
        }
    }

    @Test
    void aNonStreamingClientThatGoesAwayCancelsItsRequest() {
        try (ReplayingBatcher batcher = batcher(); TopicReader cancels = reader(Topics.CANCELS)) {
            Disposable client = api().stream("/v1/completions", "{\"model\":\"brown-6m\",\"prompt\":\"Once\"}").subscribe();
            GenerationRequest request = batcher.nextRequest();

            client.dispose();

            awaitCancel(cancels, request.requestId(), WAIT);
            awaitNothingInFlight();
        }
    }

    private void awaitNothingInFlight() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (inFlight.size() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(inFlight.size()).isZero();
    }
}
