package dev.llmserve.gateway.chat;

import dev.llmserve.engine.tokenizer.ChatMessage;
import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.gateway.request.GenerationOptionsReader;
import dev.llmserve.gateway.request.RequestFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Parses and validates a chat completions body. */
@Component
class ChatCompletionRequestReader {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");
    private static final int MAX_TOP_LOGPROBS = 20;

    private final JsonMapper mapper;
    private final GenerationOptionsReader options;

    ChatCompletionRequestReader(JsonMapper mapper, GenerationOptionsReader options) {
        this.mapper = mapper;
        this.options = options;
    }

    ChatCompletionRequest read(byte[] body) {
        RequestFields fields = RequestFields.parse(body, mapper);
        String model = fields.requiredString("model");
        List<ChatMessage> messages = messages(fields);
        return new ChatCompletionRequest(model, messages, options.read(fields, logprobs(fields)));
    }

    private static List<ChatMessage> messages(RequestFields fields) {
        JsonNode list = fields.value("messages").orElseThrow(
                () -> OpenAiException.invalidRequest("messages", "Missing required parameter: 'messages'"));
        if (!list.isArray()) {
            throw RequestFields.wrongType("messages", "an array", list);
        }
        if (list.isEmpty()) {
            throw OpenAiException.invalidRequest("messages", "'messages' must contain at least one message");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            messages.add(message(RequestFields.of(list.get(i), "messages[" + i + "]")));
        }
        return messages;
    }

    private static ChatMessage message(RequestFields message) {
        String role = message.requiredString("role");
        if (!ROLES.contains(role)) {
            throw OpenAiException.invalidRequest(message.param("role"), "'" + message.param("role")
                    + "' must be one of system, developer, user, assistant; got '" + role + "'");
        }
        // OpenAI's developer messages are the system messages of newer models; templates know only "system".
        return new ChatMessage(role.equals("developer") ? "system" : role, content(message));
    }

    /** A string, or a list of {"type":"text","text":…} parts joined without separator. */
    private static String content(RequestFields message) {
        JsonNode content = message.value("content").orElse(null);
        if (content == null) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        if (!content.isArray()) {
            throw RequestFields.wrongType(message.param("content"), "a string or an array of text parts", content);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            RequestFields part = RequestFields.of(content.get(i), message.param("content") + "[" + i + "]");
            String type = part.requiredString("type");
            if (!type.equals("text")) {
                throw OpenAiException.invalidRequest(part.param("type"),
                        "Only text content parts are supported, got '" + type + "'");
            }
            text.append(part.requiredString("text"));
        }
        return text.toString();
    }

    /** {@code logprobs} is a boolean here; {@code top_logprobs} (0–20) asks for alternatives and needs it. */
    private static int logprobs(RequestFields fields) {
        boolean logprobs = fields.bool("logprobs").orElse(false);
        Integer top = fields.integer("top_logprobs").orElse(null);
        if (top == null) {
            return logprobs ? 0 : -1;
        }
        if (top < 0 || top > MAX_TOP_LOGPROBS) {
            throw OpenAiException.invalidRequest("top_logprobs",
                    "'top_logprobs' must be between 0 and " + MAX_TOP_LOGPROBS + ", got " + top);
        }
        if (!logprobs) {
            throw OpenAiException.invalidRequest("top_logprobs", "'top_logprobs' requires 'logprobs' to be true");
        }
        return top;
    }
}
