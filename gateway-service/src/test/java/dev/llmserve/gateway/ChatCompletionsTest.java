package dev.llmserve.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.TokenLogprobs;
import dev.llmserve.protocol.kafka.Topics;
import dev.llmserve.protocol.kafka.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Chat completions through Kafka, with a test-side batcher replaying real token events. */
@GatewayIntegrationTest
class ChatCompletionsTest extends GatewayTestSupport {

    private static final String CHAT = "/v1/chat/completions";

    @Autowired
    private GatewayProperties properties;

    @Test
    void publishesTheTemplatedPromptAndAnswersTheWholeCompletion() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(CHAT, "{\"model\":\"brown-6m\",\"messages\":["
                    + "{\"role\":\"developer\",\"content\":\"You tell stories.\"},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Once upon \"},{\"type\":\"text\",\"text\":\"a time\"}]}],"
                    + "\"max_tokens\":24,\"temperature\":0.5,\"top_p\":0.9,\"top_k\":-1,\"min_p\":0.05,"
                    + "\"presence_penalty\":0.5,\"frequency_penalty\":-0.5,\"repetition_penalty\":1.1,"
                    + "\"seed\":42,\"stop\":\"\\n\\n\",\"logit_bias\":{\"7\":-100},\"user\":\"u-1\",\"ignore_eos\":true,"
                    + "\"speculative\":false}");

            ConsumerRecord<String, byte[]> record = batcher.nextRecord();
            GenerationRequest request = MessageCodec.decodeRequest(record.value());
            assertThat(record.key()).isEqualTo(request.requestId());
            assertThat(request.requestId()).startsWith("chatcmpl-");
            assertThat(request.v()).isEqualTo(GenerationRequest.VERSION);
            assertThat(request.model()).isEqualTo(MODEL);
            assertThat(request.replyTopic()).isEqualTo(Topics.tokensFor(properties.instanceId()));
            int[] expectedPrompt = tokenizer.encode("System: You tell stories.\nUser: Once upon a time\nAssistant:", true);
            assertThat(expectedPrompt[0]).as("BOS").isEqualTo(0);
            assertThat(request.promptTokens()).containsExactlyElementsOf(Arrays.stream(expectedPrompt).boxed().toList());
            assertThat(request.sampling().temperature()).isEqualTo(0.5f);
            assertThat(request.sampling().topP()).isEqualTo(0.9f);
            assertThat(request.sampling().topK()).isZero();
            assertThat(request.sampling().minP()).isEqualTo(0.05f);
            assertThat(request.sampling().presencePenalty()).isEqualTo(0.5f);
            assertThat(request.sampling().frequencyPenalty()).isEqualTo(-0.5f);
            assertThat(request.sampling().repetitionPenalty()).isEqualTo(1.1f);
            assertThat(request.sampling().logitBias()).containsEntry(7, -100f).hasSize(1);
            assertThat(request.sampling().logprobs()).isEqualTo(-1);
            assertThat(request.seed()).isEqualTo(42L);
            assertThat(request.stop().maxTokens()).isEqualTo(24);
            assertThat(request.stop().stopStrings()).containsExactly("\n\n");
            assertThat(request.stop().stopTokenIds()).isEmpty();
            assertThat(request.stop().ignoreEos()).isTrue();
            assertThat(request.speculative()).isFalse();

            List<TokenEvent> events = ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds());
            batcher.send(request, events);

            Api.Response answer = response.join();
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode json = answer.json();
            assertThat(json.propertyNames()).containsExactlyInAnyOrder("id", "object", "created", "model", "choices", "usage");
            assertThat(json.get("id").asString()).isEqualTo(request.requestId());
            assertThat(json.get("object").asString()).isEqualTo("chat.completion");
            assertThat(json.get("created").asLong()).isEqualTo(request.createdAtMillis() / 1000);
            assertThat(json.get("model").asString()).isEqualTo(MODEL);
            JsonNode choice = json.get("choices").get(0);
            assertThat(choice.get("index").asInt()).isZero();
            assertThat(choice.get("message").get("role").asString()).isEqualTo("assistant");
            assertThat(choice.get("message").get("content").asString()).isEqualTo(text(events)).isNotBlank();
            assertThat(choice.get("finish_reason").asString()).isEqualTo("length");
            assertThat(choice.get("logprobs").isNull()).isTrue();
            assertThat(json.get("usage").get("prompt_tokens").asInt()).isEqualTo(expectedPrompt.length);
            assertThat(json.get("usage").get("completion_tokens").asInt()).isEqualTo(24);
            assertThat(json.get("usage").get("total_tokens").asInt()).isEqualTo(expectedPrompt.length + 24);
        }
    }

    @Test
    void unsetParametersTakeDefaultsAndTheRestOfTheContext() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(CHAT, chat("hi", ""));
            GenerationRequest request = batcher.nextRequest();

            assertThat(request.stop().maxTokens()).isEqualTo(512 - request.promptTokens().size());
            assertThat(request.sampling().temperature()).isEqualTo(1f);
            assertThat(request.sampling().topP()).isEqualTo(1f);
            assertThat(request.sampling().topK()).isZero();
            assertThat(request.sampling().repetitionPenalty()).isEqualTo(1f);
            assertThat(request.sampling().logprobs()).isEqualTo(-1);
            assertThat(request.priority()).isEqualTo(Priority.INTERACTIVE);
            assertThat(request.speculative()).as("the deployment decides").isNull();

            batcher.send(request, List.of(new TokenEvent(request.requestId(), 0, List.of(0), "", List.of(), "stop",
                    new Usage(request.promptTokens().size(), 1), null)));
            assertThat(response.join().json().get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");

            CompletableFuture<Api.Response> second = api().post(CHAT, chat("hi", ""));
            GenerationRequest other = batcher.nextRequest();
            assertThat(other.seed()).as("a seed is drawn per request").isNotEqualTo(request.seed());
            assertThat(other.requestId()).isNotEqualTo(request.requestId());
            batcher.send(other, List.of(new TokenEvent(other.requestId(), 0, List.of(0), "", List.of(), "stop", null, null)));
            JsonNode usage = second.join().json().get("usage");
            assertThat(usage.get("prompt_tokens").asInt()).as("counted by the gateway when the event has none")
                    .isEqualTo(other.promptTokens().size());
            assertThat(usage.get("completion_tokens").asInt()).isEqualTo(1);
        }
    }

    @Test
    void streamsOpenAiChunksDroppingDuplicateEvents() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(CHAT,
                    chat("Once upon a time", "\"max_tokens\":40,\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
            GenerationRequest request = batcher.nextRequest();
            List<TokenEvent> events = ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds());

            // every event but the last arrives twice (each batch repeats the previous event), then all again
            for (int i = 0; i < events.size(); i++) {
                batcher.send(request, i == 0 ? List.of(events.get(0)) : List.of(events.get(i - 1), events.get(i)));
            }
            batcher.send(request, events);

            Api.Response answer = response.join();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(MediaType.TEXT_EVENT_STREAM.isCompatibleWith(answer.headers().getContentType())).isTrue();
            List<String> data = answer.events();
            assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
            List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(Api.JSON::readTree).toList();

            for (JsonNode chunk : chunks) {
                assertThat(chunk.get("id").asString()).isEqualTo(request.requestId());
                assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
                assertThat(chunk.get("created").asLong()).isEqualTo(request.createdAtMillis() / 1000);
                assertThat(chunk.get("model").asString()).isEqualTo(MODEL);
            }
            JsonNode first = chunks.get(0);
            assertThat(first.propertyNames()).containsExactlyInAnyOrder("id", "object", "created", "model", "choices");
            JsonNode firstChoice = first.get("choices").get(0);
            assertThat(firstChoice.propertyNames()).containsExactlyInAnyOrder("index", "delta", "logprobs", "finish_reason");
            assertThat(firstChoice.get("delta").get("role").asString()).isEqualTo("assistant");
            assertThat(firstChoice.get("finish_reason").isNull()).isTrue();

            List<JsonNode> content = chunks.subList(1, chunks.size() - 2);
            StringBuilder text = new StringBuilder();
            for (JsonNode chunk : content) {
                JsonNode choice = chunk.get("choices").get(0);
                assertThat(choice.get("index").asInt()).isZero();
                assertThat(choice.get("delta").propertyNames()).containsExactly("content");
                assertThat(choice.get("finish_reason").isNull()).isTrue();
                assertThat(choice.get("logprobs").isNull()).isTrue();
                text.append(choice.get("delta").get("content").asString());
            }
            assertThat(text.toString()).isEqualTo(text(events));

            JsonNode finish = chunks.get(chunks.size() - 2).get("choices").get(0);
            assertThat(finish.get("delta").isEmpty()).isTrue();
            assertThat(finish.get("finish_reason").asString()).isEqualTo("length");

            JsonNode usageChunk = chunks.get(chunks.size() - 1);
            assertThat(usageChunk.get("choices").isEmpty()).isTrue();
            assertThat(usageChunk.get("usage").get("prompt_tokens").asInt()).isEqualTo(request.promptTokens().size());
            assertThat(usageChunk.get("usage").get("completion_tokens").asInt()).isEqualTo(40);
            assertThat(usageChunk.get("usage").get("total_tokens").asInt()).isEqualTo(request.promptTokens().size() + 40);
            assertThat(usageChunk.get("usage").has("completion_tokens_details"))
                    .as("no draft counts from the scheduler: the request did not speculate").isFalse();
        }
    }

    /** A speculating request's draft tokens become OpenAI's accepted/rejected prediction tokens. */
    @Test
    void reportsDraftTokensAsPredictionTokensInTheUsage() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> streamed = api().post(CHAT,
                    chat("hi", "\"max_tokens\":9,\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
            GenerationRequest request = batcher.nextRequest();
            batcher.send(request, List.of(new TokenEvent(request.requestId(), 0, List.of(1186, 614, 0), " upon time",
                    List.of(), "stop", new Usage(request.promptTokens().size(), 3, 2, 2), null)));
            List<String> events = streamed.join().events();
            JsonNode usage = Api.JSON.readTree(events.get(events.size() - 2)).get("usage");
            assertThat(usage.get("completion_tokens").asInt()).isEqualTo(3);
            assertThat(usage.get("completion_tokens_details").get("accepted_prediction_tokens").asInt()).isEqualTo(2);
            assertThat(usage.get("completion_tokens_details").get("rejected_prediction_tokens").asInt()).isEqualTo(2);

            CompletableFuture<Api.Response> whole = api().post(CHAT, chat("hi", "\"max_tokens\":9"));
            GenerationRequest second = batcher.nextRequest();
            batcher.send(second, List.of(new TokenEvent(second.requestId(), 0, List.of(1186, 0), " upon", List.of(),
                    "stop", new Usage(second.promptTokens().size(), 2, 1, 3), null)));
            JsonNode details = whole.join().json().get("usage").get("completion_tokens_details");
            assertThat(details.get("accepted_prediction_tokens").asInt()).isEqualTo(1);
            assertThat(details.get("rejected_prediction_tokens").asInt()).isEqualTo(3);
        }
    }

    /** The Node SDK streams with {@code Accept: application/json}; the answer is SSE all the same. */
    @Test
    void streamsWhateverTheAcceptHeaderSays() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(CHAT, chat("hi", "\"stream\":true,\"max_tokens\":3"),
                    MediaType.APPLICATION_JSON);
            GenerationRequest request = batcher.nextRequest();
            batcher.send(request, ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds()));

            Api.Response answer = response.join();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(MediaType.TEXT_EVENT_STREAM.isCompatibleWith(answer.headers().getContentType())).isTrue();
            assertThat(answer.events()).hasSize(6).last().isEqualTo("[DONE]");
        }
    }

    @Test
    void reportsLogprobsInOpenAisChatShape() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(CHAT,
                    chat("hi", "\"logprobs\":true,\"top_logprobs\":2,\"max_tokens\":2"));
            GenerationRequest request = batcher.nextRequest();
            assertThat(request.sampling().logprobs()).isEqualTo(2);

            batcher.send(request, List.of(
                    new TokenEvent(request.requestId(), 0, List.of(1186), " upon", List.of(new TokenLogprobs(1186, " upon",
                            -0.25f, List.of(new TokenLogprobs.Alternative(1186, " upon", -0.25f),
                                    new TokenLogprobs.Alternative(614, " time", Float.NEGATIVE_INFINITY)))), null, null, null),
                    new TokenEvent(request.requestId(), 1, List.of(0), "", List.of(new TokenLogprobs(0, "<|endoftext|>", -1.5f,
                            List.of())), "stop", new Usage(request.promptTokens().size(), 2), null)));

            JsonNode logprobs = response.join().json().get("choices").get(0).get("logprobs");
            assertThat(logprobs.propertyNames()).containsExactly("content");
            JsonNode first = logprobs.get("content").get(0);
            assertThat(first.propertyNames()).containsExactlyInAnyOrder("token", "logprob", "bytes", "top_logprobs");
            assertThat(first.get("token").asString()).isEqualTo(" upon");
            assertThat(first.get("logprob").asDouble()).isEqualTo(-0.25);
            assertThat(first.get("bytes").toString()).isEqualTo("[32,117,112,111,110]");
            assertThat(first.get("top_logprobs").get(1).get("token").asString()).isEqualTo(" time");
            assertThat(first.get("top_logprobs").get(1).get("logprob").asDouble()).isEqualTo(-9999.0);
            assertThat(logprobs.get("content").get(1).get("logprob").asDouble()).isEqualTo(-1.5);
        }
    }

    @Test
    void lostEventsFailTheRequestAndCancelIt() {
        try (ReplayingBatcher batcher = batcher(); TopicReader cancels = reader(Topics.CANCELS)) {
            CompletableFuture<Api.Response> response = api().post(CHAT, chat("hi", "\"max_tokens\":5"));
            GenerationRequest request = batcher.nextRequest();
            List<TokenEvent> events = ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds());

            batcher.send(request, List.of(events.get(0), events.get(2)));

            Api.Response answer = response.join();
            assertThat(answer.status()).isEqualTo(500);
            assertThat(answer.json().get("error").get("type").asString()).isEqualTo("server_error");
            assertThat(answer.json().get("error").get("message").asString()).contains("expected index 1, got 2");
            awaitCancel(cancels, request.requestId(), Duration.ofSeconds(10));
        }
    }

    @Test
    void aFailedGenerationIsAServerErrorMidStream() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> response = api().post(CHAT, chat("hi", "\"stream\":true"));
            GenerationRequest request = batcher.nextRequest();
            batcher.send(request, List.of(
                    new TokenEvent(request.requestId(), 0, List.of(1186), " upon", List.of(), null, null, null),
                    new TokenEvent(request.requestId(), 1, List.of(), "", List.of(), "error", null, "model service down")));

            List<String> data = response.join().events();
            assertThat(data).hasSize(4);
            assertThat(Api.JSON.readTree(data.get(1)).get("choices").get(0).get("delta").get("content").asString())
                    .isEqualTo(" upon");
            JsonNode error = Api.JSON.readTree(data.get(2)).get("error");
            assertThat(error.get("type").asString()).isEqualTo("server_error");
            assertThat(error.get("message").asString()).contains("model service down");
            assertThat(data.get(3)).isEqualTo("[DONE]");
        }
    }

    private static String text(List<TokenEvent> events) {
        List<String> parts = new ArrayList<>();
        events.forEach(event -> parts.add(event.text()));
        return String.join("", parts);
    }
}
