package dev.llmserve.gateway;

import static dev.llmserve.gateway.BatchClient.chatLine;

import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Batch tests that start and stop whole gateways themselves ({@link RunningGateway}) on an embedded
 * broker of their own (one per test class: batches left on a broker would be driven by the next
 * gateway started on it). The test plays the batching-service.
 */
@EmbeddedKafka(partitions = 1, topics = {Topics.REQUESTS, Topics.CANCELS})
abstract class EmbeddedBrokerBatchTest {

    protected static final String CHAT = "/v1/chat/completions";
    protected static TextTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() {
        tokenizer = TextTokenizer.load(DefaultModel.DIR);
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    protected static String kafka() {
        return EmbeddedKafkaCondition.getBroker().getBrokersAsString();
    }

    /** Lines whose max_tokens (1, 2, 3, …) tell their requests apart. */
    protected static List<String> lines(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> chatLine(prefix + i, "Once upon a time", "\"max_tokens\":" + (i + 1))).toList();
    }

    /** The next {@code count} requests, by their max_tokens. */
    protected static Map<Integer, GenerationRequest> byMaxTokens(ReplayingBatcher batcher, int count) {
        Map<Integer, GenerationRequest> requests = new HashMap<>();
        for (int i = 0; i < count; i++) {
            GenerationRequest request = batcher.nextRequest();
            requests.put(request.stop().maxTokens(), request);
        }
        return requests;
    }

    protected static void finish(ReplayingBatcher batcher, GenerationRequest request) {
        batcher.send(request, ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds()));
    }
}
