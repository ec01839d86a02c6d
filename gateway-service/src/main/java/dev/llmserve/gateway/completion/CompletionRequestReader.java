package dev.llmserve.gateway.completion;

import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.gateway.request.GenerationOptionsReader;
import dev.llmserve.gateway.request.RequestFields;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parses and validates a (legacy) text completions body. */
@Component
class CompletionRequestReader {

    private static final int MAX_LOGPROBS = 20;

    private final JsonMapper mapper;
    private final GenerationOptionsReader options;

    CompletionRequestReader(JsonMapper mapper, GenerationOptionsReader options) {
        this.mapper = mapper;
        this.options = options;
    }

    CompletionRequest read(byte[] body) {
        RequestFields fields = RequestFields.parse(body, mapper);
        String model = fields.requiredString("model");
        Prompt prompt = prompt(fields);
        rejectUnsupported(fields);
        return new CompletionRequest(model, prompt, options.read(fields, logprobs(fields)));
    }

    /**
     * Text, a list of one text, token ids, or a list of one token-id list. Several prompts would be
     * several choices, which come with n > 1 support.
     */
    private static Prompt prompt(RequestFields fields) {
        JsonNode prompt = fields.value("prompt").orElseThrow(
                () -> OpenAiException.invalidRequest("prompt", "Missing required parameter: 'prompt'"));
        if (prompt.isString()) {
            return new Prompt.Text(prompt.asString());
        }
        if (!prompt.isArray()) {
            throw RequestFields.wrongType("prompt",
                    "a string, an array of strings, or an array of token ids", prompt);
        }
        if (prompt.isEmpty()) {
            throw OpenAiException.invalidRequest("prompt", "'prompt' must not be empty");
        }
        JsonNode first = prompt.get(0);
        if (first.isNumber()) {
            return new Prompt.Tokens(tokenIds(prompt, "prompt"));
        }
        if (prompt.size() > 1) {
            throw OpenAiException.invalidRequest("prompt",
                    "Only one prompt per request is supported yet, got " + prompt.size());
        }
        if (first.isString()) {
            return new Prompt.Text(first.asString());
        }
        if (first.isArray()) {
            return new Prompt.Tokens(tokenIds(first, "prompt[0]"));
        }
        throw RequestFields.wrongType("prompt[0]", "a string or an array of token ids", first);
    }

    private static List<Integer> tokenIds(JsonNode list, String param) {
        if (list.isEmpty()) {
            throw OpenAiException.invalidRequest(param, "'" + param + "' must not be empty");
        }
        List<Integer> ids = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            ids.add(RequestFields.integer(list.get(i), param + "[" + i + "]"));
        }
        return ids;
    }

    /** Legacy fields that change the output's meaning: refuse rather than silently ignore them. */
    private static void rejectUnsupported(RequestFields fields) {
        if (fields.bool("echo").orElse(false)) {
            throw OpenAiException.invalidRequest("echo", "echo is not supported");
        }
        if (fields.integer("best_of").orElse(1) != 1) {
            throw OpenAiException.invalidRequest("best_of", "best_of other than 1 is not supported");
        }
        if (fields.string("suffix").filter(suffix -> !suffix.isEmpty()).isPresent()) {
            throw OpenAiException.invalidRequest("suffix", "suffix is not supported");
        }
    }

    /** Here {@code logprobs} is the number of alternatives (0–20) per token, or absent for none. */
    private static int logprobs(RequestFields fields) {
        Integer logprobs = fields.integer("logprobs").orElse(null);
        if (logprobs == null) {
            return -1;
        }
        if (logprobs < 0 || logprobs > MAX_LOGPROBS) {
            throw OpenAiException.invalidRequest("logprobs",
                    "'logprobs' must be between 0 and " + MAX_LOGPROBS + ", got " + logprobs);
        }
        return logprobs;
    }
}
