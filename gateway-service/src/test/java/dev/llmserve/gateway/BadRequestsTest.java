package dev.llmserve.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Bad input stops at the edge with an OpenAI error body and never reaches Kafka. */
@GatewayIntegrationTest
class BadRequestsTest extends GatewayTestSupport {

    private static final String CHAT = "/v1/chat/completions";
    private static final String COMPLETIONS = "/v1/completions";
    /** brown-6m's context is 512 tokens; each " hello" is at least one token. */
    private static final String TOO_LONG = " hello".repeat(600);

    static Stream<Arguments> badInputs() {
        return Stream.of(
                bad(CHAT, chat("hi", "\"max_tokens\":-1"), 400, "max_tokens", null),
                bad(CHAT, chat("hi", "\"max_completion_tokens\":0"), 400, "max_completion_tokens", null),
                bad(CHAT, chat("hi", "\"temperature\":5"), 400, "temperature", null),
                bad(CHAT, chat("hi", "\"top_p\":0"), 400, "top_p", null),
                bad(CHAT, chat("hi", "\"top_k\":-2"), 400, "top_k", null),
                bad(CHAT, chat("hi", "\"min_p\":1.5"), 400, "min_p", null),
                bad(CHAT, chat("hi", "\"presence_penalty\":2.5"), 400, "presence_penalty", null),
                bad(CHAT, chat("hi", "\"frequency_penalty\":-3"), 400, "frequency_penalty", null),
                bad(CHAT, chat("hi", "\"repetition_penalty\":0"), 400, "repetition_penalty", null),
                bad(CHAT, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404, "model",
                        "model_not_found"),
                bad(CHAT, "{\"model\":\"brown-6m\", \"messages\": [", 400, null, null),
                bad(CHAT, "[1, 2]", 400, null, null),
                bad(CHAT, "", 400, null, null),
                bad(CHAT, chat("hi", "\"max_tokens\":\"ten\""), 400, "max_tokens", null),
                bad(CHAT, chat("hi", "\"max_tokens\":1.5"), 400, "max_tokens", null),
                bad(CHAT, chat("hi", "\"temperature\":\"hot\""), 400, "temperature", null),
                bad(CHAT, chat("hi", "\"stream\":\"yes\""), 400, "stream", null),
                bad(CHAT, chat("hi", "\"seed\":\"42\""), 400, "seed", null),
                bad(CHAT, chat("hi", "\"speculative\":\"no\""), 400, "speculative", null),
                bad(CHAT, "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "model", null),
                bad(CHAT, "{\"model\":\"brown-6m\",\"messages\":\"hi\"}", 400, "messages", null),
                bad(CHAT, "{\"model\":\"brown-6m\",\"messages\":[{\"role\":\"user\",\"content\":7}]}", 400,
                        "messages[0].content", null),
                bad(CHAT, "{\"model\":\"brown-6m\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", 400,
                        "messages[0].role", null),
                bad(CHAT, "{\"model\":\"brown-6m\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]}", 400, "messages[0].content[0].type", null),
                bad(CHAT, "{\"model\":\"brown-6m\",\"messages\":[]}", 400, "messages", null),
                bad(CHAT, "{\"model\":\"brown-6m\"}", 400, "messages", null),
                bad(CHAT, "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "model", null),
                bad(CHAT, chat(TOO_LONG, ""), 400, "messages", "context_length_exceeded"),
                bad(CHAT, chat("hi", "\"max_tokens\":600"), 400, "max_tokens", "context_length_exceeded"),
                bad(CHAT, chat("hi", "\"n\":2"), 400, "n", null),
                bad(CHAT, chat("hi", "\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"), 400, "stop", null),
                bad(CHAT, chat("hi", "\"stop\":[\"\"]"), 400, "stop", null),
                bad(CHAT, chat("hi", "\"stop\":7"), 400, "stop", null),
                bad(CHAT, chat("hi", "\"logit_bias\":{\"5\":200}"), 400, "logit_bias.5", null),
                bad(CHAT, chat("hi", "\"logit_bias\":{\"99999\":1}"), 400, "logit_bias", null),
                bad(CHAT, chat("hi", "\"logit_bias\":{\"x\":1}"), 400, "logit_bias", null),
                bad(CHAT, chat("hi", "\"top_logprobs\":3"), 400, "top_logprobs", null),
                bad(CHAT, chat("hi", "\"logprobs\":true,\"top_logprobs\":21"), 400, "top_logprobs", null),
                bad(CHAT, chat("hi", "\"logprobs\":1"), 400, "logprobs", null),
                bad(CHAT, chat("hi", "\"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"}"), 400,
                        "stream_options.include_usage", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":\"" + TOO_LONG + "\"}", 400, "prompt",
                        "context_length_exceeded"),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":" + tokenIds(512) + "}", 400, "prompt",
                        "context_length_exceeded"),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":[1,99999]}", 400, "prompt", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":[]}", 400, "prompt", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":[\"a\",\"b\"]}", 400, "prompt", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":[1,\"a\"]}", 400, "prompt[1]", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":{\"text\":\"a\"}}", 400, "prompt", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\"}", 400, "prompt", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":\"a\",\"logprobs\":true}", 400, "logprobs", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":\"a\",\"logprobs\":21}", 400, "logprobs", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":\"a\",\"echo\":true}", 400, "echo", null),
                bad(COMPLETIONS, "{\"model\":\"brown-6m\",\"prompt\":\"a\",\"max_tokens\":-5}", 400, "max_tokens", null),
                bad(COMPLETIONS, "{\"model\":\"davinci\",\"prompt\":\"a\"}", 404, "model", "model_not_found"));
    }

    private static Arguments bad(String path, String body, int status, String param, String code) {
        return Arguments.of(path, body, status, param, code);
    }

    private static String tokenIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> Integer.toString(i == 0 ? 1 : 300 + i % 100))
                .collect(Collectors.joining(",", "[", "]"));
    }

    @ParameterizedTest(name = "[{index}] {0} → {2} {3}")
    @MethodSource("badInputs")
    void answersAnOpenAiError(String path, String body, int status, String param, String code) {
        Api.Response response = api().post(path, body).join();

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().getContentType().toString()).startsWith("application/json");
        JsonNode error = response.json().get("error");
        assertThat(response.json().propertyNames()).containsExactly("error");
        assertThat(error.propertyNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").isNull() ? null : error.get("param").asString()).isEqualTo(param);
        assertThat(error.get("code").isNull() ? null : error.get("code").asString()).isEqualTo(code);
    }

    /**
     * Sends every bad input, then one valid request as a marker: the marker must be the first record
     * the requests topic received, so none of the bad ones was published.
     */
    @Test
    void badInputsNeverReachKafka() {
        try (ReplayingBatcher batcher = batcher()) {
            badInputs().forEach(arguments -> api().post((String) arguments.get()[0], (String) arguments.get()[1]).join());
            CompletableFuture<Api.Response> marker = api().post(COMPLETIONS,
                    "{\"model\":\"brown-6m\",\"prompt\":[0,80,1015,1186,259,614],\"max_tokens\":1}");

            ConsumerRecord<String, byte[]> first = batcher.nextRecord();
            GenerationRequest request = MessageCodec.decodeRequest(first.value());
            assertThat(request.promptTokens()).containsExactly(0, 80, 1015, 1186, 259, 614);
            assertThat(first.topic()).isEqualTo(Topics.REQUESTS);

            batcher.send(request, ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds()));
            assertThat(marker.join().status()).isEqualTo(200);
        }
    }

    /** {@code curl -d} sends a form Content-Type; the body is JSON all the same. */
    @Test
    void readsTheBodyAsJsonWhateverItsContentType() {
        Api.Response response = api().post(CHAT, chat("hi", "\"temperature\":5"),
                MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL).join();

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").get("param").asString()).isEqualTo("temperature");
    }

    /** A streaming client (the chat page, curl) may accept only SSE; an error is JSON all the same. */
    @Test
    void answersJsonErrorsToAClientThatAcceptsOnlyEventStreams() {
        Api.Response response = api().post(CHAT, chat("hi", "\"stream\":true,\"max_tokens\":100000"),
                MediaType.TEXT_EVENT_STREAM).join();

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers().getContentType().toString()).startsWith("application/json");
        assertThat(response.json().get("error").get("code").asString()).isEqualTo("context_length_exceeded");
    }

    @Test
    void unknownPathsAnswerOpenAiShapedErrors() {
        Api.Response response = api().get("/v1/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("error").get("message").asString()).contains("/v1/nothing-here");
    }
}
