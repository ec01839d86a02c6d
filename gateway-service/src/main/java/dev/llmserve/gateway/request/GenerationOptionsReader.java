package dev.llmserve.gateway.request;

import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.gateway.model.ServedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** Reads and range-checks the parameters chat and text completions share. */
@Component
public class GenerationOptionsReader {

    private static final int MAX_STOP_STRINGS = 4;

    private final ServedModel model;

    GenerationOptionsReader(ServedModel model) {
        this.model = model;
    }

    /** {@code logprobs} is read by the caller, whose endpoint gives the field its own type. */
    public GenerationOptions read(RequestFields fields, int logprobs) {
        rejectMultipleChoices(fields);
        boolean stream = fields.bool("stream").orElse(false);
        boolean includeUsage = stream && fields.value("stream_options")
                .map(node -> RequestFields.of(node, "stream_options").bool("include_usage").orElse(false))
                .orElse(false);
        fields.string("user"); // accepted for compatibility (type-checked), not used
        return new GenerationOptions(
                maxTokens(fields),
                fields.number("temperature", 0, 2).orElse(null),
                topP(fields),
                topK(fields),
                fields.number("min_p", 0, 1).orElse(null),
                fields.number("presence_penalty", -2, 2).orElse(null),
                fields.number("frequency_penalty", -2, 2).orElse(null),
                repetitionPenalty(fields),
                fields.longInteger("seed").orElse(null),
                stop(fields),
                logitBias(fields),
                logprobs,
                fields.bool("ignore_eos").orElse(false),
                fields.bool("speculative").orElse(null),
                stream,
                includeUsage);
    }

    private static void rejectMultipleChoices(RequestFields fields) {
        int n = fields.integer("n").orElse(1);
        if (n < 1) {
            throw OpenAiException.invalidRequest("n", "'n' must be >= 1, got " + n);
        }
        if (n > 1) {
            throw OpenAiException.invalidRequest("n", "n > 1 is not supported yet");
        }
    }

    /** max_completion_tokens is the newer name; when both are given it wins, as in vLLM. */
    private static Integer maxTokens(RequestFields fields) {
        Optional<Integer> legacy = fields.integer("max_tokens");
        Optional<Integer> current = fields.integer("max_completion_tokens");
        String param = current.isPresent() ? "max_completion_tokens" : "max_tokens";
        Integer value = current.or(() -> legacy).orElse(null);
        if (value != null && value < 1) {
            throw OpenAiException.invalidRequest(param, "'" + param + "' must be >= 1, got " + value);
        }
        return value;
    }

    private static Float topP(RequestFields fields) {
        Float topP = fields.number("top_p", 0, 1).orElse(null);
        if (topP != null && topP == 0f) {
            throw OpenAiException.invalidRequest("top_p", "'top_p' must be in (0, 1], got 0");
        }
        return topP;
    }

    private static Integer topK(RequestFields fields) {
        Integer topK = fields.integer("top_k").orElse(null);
        if (topK != null && topK < -1) {
            throw OpenAiException.invalidRequest("top_k", "'top_k' must be -1 or 0 (off) or >= 1, got " + topK);
        }
        return topK == null ? null : Math.max(0, topK);
    }

    private static Float repetitionPenalty(RequestFields fields) {
        Float penalty = fields.number("repetition_penalty").orElse(null);
        if (penalty != null && penalty <= 0f) {
            throw OpenAiException.invalidRequest("repetition_penalty",
                    "'repetition_penalty' must be > 0, got " + penalty);
        }
        return penalty;
    }

    private static List<String> stop(RequestFields fields) {
        Optional<JsonNode> stop = fields.value("stop");
        if (stop.isEmpty()) {
            return List.of();
        }
        JsonNode node = stop.get();
        List<String> strings = new ArrayList<>();
        if (node.isString()) {
            strings.add(node.asString());
        } else if (node.isArray()) {
            if (node.size() > MAX_STOP_STRINGS) {
                throw OpenAiException.invalidRequest("stop",
                        "'stop' takes at most " + MAX_STOP_STRINGS + " strings, got " + node.size());
            }
            for (int i = 0; i < node.size(); i++) {
                if (!node.get(i).isString()) {
                    throw RequestFields.wrongType("stop[" + i + "]", "a string", node.get(i));
                }
                strings.add(node.get(i).asString());
            }
        } else {
            throw RequestFields.wrongType("stop", "a string or an array of strings", node);
        }
        if (strings.contains("")) {
            throw OpenAiException.invalidRequest("stop", "'stop' strings must not be empty");
        }
        return strings;
    }

    private Map<Integer, Float> logitBias(RequestFields fields) {
        Optional<JsonNode> bias = fields.value("logit_bias");
        if (bias.isEmpty()) {
            return Map.of();
        }
        RequestFields entries = RequestFields.of(bias.get(), "logit_bias");
        Map<Integer, Float> result = new HashMap<>();
        for (String key : bias.get().propertyNames()) {
            int tokenId;
            try {
                tokenId = Integer.parseInt(key);
            } catch (NumberFormatException e) {
                throw OpenAiException.invalidRequest("logit_bias", "'logit_bias' keys must be token ids, got '" + key + "'");
            }
            if (tokenId < 0 || tokenId >= model.vocabSize()) {
                throw OpenAiException.invalidRequest("logit_bias",
                        "'logit_bias' token id " + tokenId + " is not in the vocabulary (0.." + (model.vocabSize() - 1) + ")");
            }
            entries.number(key, -100, 100).ifPresent(value -> result.put(tokenId, value));
        }
        return result;
    }
}
