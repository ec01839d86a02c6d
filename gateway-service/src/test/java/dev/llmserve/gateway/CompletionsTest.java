package dev.llmserve.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.TokenLogprobs;
import dev.llmserve.protocol.kafka.Usage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Text completions through Kafka, with a test-side batcher replaying real token events. */
@GatewayIntegrationTest
class CompletionsTest extends GatewayTestSupport {

    private static final String COMPLETIONS = "/v1/completions";

    @Test
    void textPromptIsTokenizedLikeGenerateAndTheCompletionComesBackWhole() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(COMPLETIONS,
                    "{\"model\":\"brown-6m\",\"prompt\":\"" + ReferenceGeneration.PROMPT + "\",\"max_tokens\":64,"
                            + "\"temperature\":0}");
            GenerationRequest request = batcher.nextRequest();
            assertThat(request.requestId()).startsWith("cmpl-");
            assertThat(request.promptTokens()).containsExactlyElementsOf(ReferenceGeneration.promptIds());
            assertThat(request.sampling().temperature()).isZero();

            List<TokenEvent> events = ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds());
            batcher.send(request, events);

            JsonNode json = response.join().json();
            assertThat(json.propertyNames()).containsExactlyInAnyOrder("id", "object", "created", "model", "choices", "usage");
            assertThat(json.get("object").asString()).isEqualTo("text_completion");
            assertThat(json.get("id").asString()).isEqualTo(request.requestId());
            JsonNode choice = json.get("choices").get(0);
            assertThat(choice.propertyNames()).containsExactlyInAnyOrder("index", "text", "logprobs", "finish_reason");
            String text = choice.get("text").asString();
            assertThat(ReferenceGeneration.text()).startsWith(ReferenceGeneration.PROMPT + text);
            assertThat(text.length()).isGreaterThan(100);
            assertThat(choice.get("finish_reason").asString()).isEqualTo("length");
            assertThat(json.get("usage").get("completion_tokens").asInt()).isEqualTo(64);
            assertThat(json.get("usage").get("prompt_tokens").asInt()).isEqualTo(6);
        }
    }

    @Test
    void tokenIdPromptsStreamTextCompletionChunks() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(COMPLETIONS,
                    "{\"model\":\"brown-6m\",\"prompt\":[[0,80,1015,1186,259,614]],\"max_tokens\":10,\"stream\":true}");
            GenerationRequest request = batcher.nextRequest();
            assertThat(request.promptTokens()).containsExactly(0, 80, 1015, 1186, 259, 614);
            List<TokenEvent> events = ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds());
            events.forEach(event -> batcher.send(request, List.of(event)));

            List<String> data = response.join().events();
            assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
            List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(Api.JSON::readTree).toList();
            StringBuilder text = new StringBuilder();
            for (JsonNode chunk : chunks) {
                assertThat(chunk.propertyNames()).containsExactlyInAnyOrder("id", "object", "created", "model", "choices");
                assertThat(chunk.get("object").asString()).isEqualTo("text_completion");
                assertThat(chunk.get("id").asString()).isEqualTo(request.requestId());
                JsonNode choice = chunk.get("choices").get(0);
                assertThat(choice.propertyNames()).containsExactlyInAnyOrder("index", "text", "logprobs", "finish_reason");
                text.append(choice.get("text").asString());
            }
            JsonNode last = chunks.get(chunks.size() - 1).get("choices").get(0);
            assertThat(last.get("finish_reason").asString()).isEqualTo("length");
            assertThat(last.get("text").asString()).isEmpty();
            chunks.subList(0, chunks.size() - 1).forEach(
                    chunk -> assertThat(chunk.get("choices").get(0).get("finish_reason").isNull()).isTrue());
            assertThat(ReferenceGeneration.text()).startsWith(ReferenceGeneration.PROMPT + text);
            assertThat(text.toString()).isEqualTo(events.stream().map(TokenEvent::text).reduce("", String::concat));
        }
    }

    @Test
    void reportsLogprobsInTheLegacyShape() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(COMPLETIONS,
                    "{\"model\":\"brown-6m\",\"prompt\":\"Once\",\"max_tokens\":2,\"logprobs\":1}");
            GenerationRequest request = batcher.nextRequest();
            assertThat(request.sampling().logprobs()).isEqualTo(1);

            batcher.send(request, List.of(
                    new TokenEvent(request.requestId(), 0, List.of(1186), " upon", List.of(new TokenLogprobs(1186, " upon",
                            -0.5f, List.of(new TokenLogprobs.Alternative(1186, " upon", -0.5f)))), null, null, null),
                    new TokenEvent(request.requestId(), 1, List.of(259), " a", List.of(new TokenLogprobs(259, " a",
                            -0.125f, List.of(new TokenLogprobs.Alternative(259, " a", -0.125f)))), "length",
                            new Usage(2, 2), null)));

            JsonNode logprobs = response.join().json().get("choices").get(0).get("logprobs");
            assertThat(logprobs.propertyNames())
                    .containsExactlyInAnyOrder("tokens", "token_logprobs", "top_logprobs", "text_offset");
            assertThat(logprobs.get("tokens").toString()).isEqualTo("[\" upon\",\" a\"]");
            assertThat(logprobs.get("token_logprobs").toString()).isEqualTo("[-0.5,-0.125]");
            assertThat(logprobs.get("top_logprobs").toString()).isEqualTo("[{\" upon\":-0.5},{\" a\":-0.125}]");
            assertThat(logprobs.get("text_offset").toString()).isEqualTo("[0,5]");
        }
    }
}
