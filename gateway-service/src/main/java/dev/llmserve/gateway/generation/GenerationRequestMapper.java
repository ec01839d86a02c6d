package dev.llmserve.gateway.generation;

import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.gateway.kafka.ReplyTopic;
import dev.llmserve.gateway.model.SamplingDefaults;
import dev.llmserve.gateway.model.ServedModel;
import dev.llmserve.gateway.prompt.EncodedPrompt;
import dev.llmserve.gateway.request.GenerationOptions;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.protocol.kafka.SamplingSpec;
import dev.llmserve.protocol.kafka.StopSpec;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.stereotype.Component;

/**
 * The API → Kafka mapper: turns a validated request's {@link GenerationOptions} into the
 * {@link GenerationRequest} published for it. It adds a fresh id, checks the prompt against the context
 * length (never truncated), resolves max tokens, fills unset sampling parameters from the model's
 * defaults into the {@link SamplingSpec}, and sets the seed beside them (the client's, or one drawn here
 * so a run can be reproduced).
 */
@Component
public class GenerationRequestMapper {

    private final ServedModel model;
    private final ReplyTopic replyTopic;
    private final RandomGenerator seeds = new SecureRandom();

    GenerationRequestMapper(ServedModel model, ReplyTopic replyTopic) {
        this.model = model;
        this.replyTopic = replyTopic;
    }

    /**
     * @param idPrefix "chatcmpl-" or "cmpl-"
     * @param promptParam the parameter a too-long prompt is reported against
     */
    public GenerationRequest toRequest(String idPrefix, EncodedPrompt prompt, GenerationOptions options,
            String promptParam, Priority priority) {
        int context = model.contextLength();
        int promptTokens = prompt.tokenIds().size();
        if (promptTokens >= context) {
            throw OpenAiException.contextLengthExceeded(promptParam, "This model's maximum context length is "
                    + context + " tokens, and the prompt has " + promptTokens
                    + " tokens, which leaves no room for the completion. Please shorten the prompt.");
        }
        int maxTokens = options.maxTokens() != null ? options.maxTokens() : context - promptTokens;
        if (promptTokens + maxTokens > context) {
            String param = options.maxTokens() != null ? "max_tokens" : promptParam;
            throw OpenAiException.contextLengthExceeded(param, "This model's maximum context length is " + context
                    + " tokens. However, you requested " + (promptTokens + maxTokens) + " tokens (" + promptTokens
                    + " in the prompt, " + maxTokens + " for the completion). Please reduce the prompt or max_tokens.");
        }
        long seed = options.seed() != null ? options.seed() : seeds.nextLong();
        return new GenerationRequest(GenerationRequest.VERSION, idPrefix + UUID.randomUUID(), replyTopic.name(),
                model.name(), prompt.tokenIds(), sampling(options, model.defaults()),
                new StopSpec(maxTokens, prompt.stopTokenIds(), options.stop(), options.ignoreEos()),
                seed, priority, System.currentTimeMillis(), options.speculative());
    }

    private static SamplingSpec sampling(GenerationOptions options, SamplingDefaults defaults) {
        return new SamplingSpec(
                Objects.requireNonNullElse(options.temperature(), defaults.temperature()),
                Objects.requireNonNullElse(options.topK(), defaults.topK()),
                Objects.requireNonNullElse(options.topP(), defaults.topP()),
                Objects.requireNonNullElse(options.minP(), defaults.minP()),
                Objects.requireNonNullElse(options.repetitionPenalty(), defaults.repetitionPenalty()),
                Objects.requireNonNullElse(options.presencePenalty(), 0f),
                Objects.requireNonNullElse(options.frequencyPenalty(), 0f),
                options.logitBias(),
                options.logprobs());
    }
}
