package dev.llmserve.gateway.batch.run;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a batch input file: one JSON object per line, {@code {"custom_id","method":"POST","url","body"}}.
 * Blank lines are skipped. A line whose envelope is wrong becomes a {@link LinePlan.Invalid} with the
 * reason; its body is not looked at here — the endpoint checks it when the line runs, exactly as it
 * checks an API request.
 */
@Component
class InputLines {

    private final JsonMapper mapper;

    InputLines(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param endpoint the batch's endpoint: every line's url must name it
     * @param served the endpoints this gateway serves
     */
    List<LinePlan> parse(byte[] content, String endpoint, Set<String> served) {
        String[] texts = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        List<LinePlan> lines = new ArrayList<>();
        Map<String, Integer> customIds = new HashMap<>();
        for (int i = 0; i < texts.length; i++) {
            String text = texts[i].strip();
            if (!text.isEmpty()) {
                lines.add(line(i + 1, text, endpoint, served, customIds));
            }
        }
        return lines;
    }

    private LinePlan line(int number, String text, String endpoint, Set<String> served, Map<String, Integer> customIds) {
        JsonNode json;
        try {
            json = mapper.readTree(text);
        } catch (JacksonException e) {
            return new LinePlan.Invalid(number, null, "invalid_json_line",
                    "Line " + number + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (!json.isObject()) {
            return new LinePlan.Invalid(number, null, "invalid_json_line", "Line " + number + " is not a JSON object");
        }
        JsonNode customIdNode = json.get("custom_id");
        if (customIdNode == null || !customIdNode.isString() || customIdNode.asString().isEmpty()) {
            return new LinePlan.Invalid(number, null, "missing_custom_id",
                    "Line " + number + " has no 'custom_id' string");
        }
        String customId = customIdNode.asString();
        Integer earlier = customIds.putIfAbsent(customId, number);
        if (earlier != null) {
            return new LinePlan.Invalid(number, customId, "duplicate_custom_id",
                    "Line " + number + " repeats the custom_id '" + customId + "' of line " + earlier);
        }
        String method = string(json, "method");
        if (!"POST".equals(method)) {
            return new LinePlan.Invalid(number, customId, "invalid_method",
                    "Line " + number + ": 'method' must be 'POST', got " + json.get("method"));
        }
        String url = string(json, "url");
        if (url == null || !served.contains(url)) {
            return new LinePlan.Invalid(number, customId, "invalid_url", "Line " + number + ": 'url' must be one of "
                    + String.join(", ", served.stream().sorted().toList()) + ", got " + json.get("url"));
        }
        if (!url.equals(endpoint)) {
            return new LinePlan.Invalid(number, customId, "mismatched_endpoint",
                    "Line " + number + " calls " + url + " but the batch's endpoint is " + endpoint);
        }
        JsonNode body = json.get("body");
        if (body == null || !body.isObject()) {
            return new LinePlan.Invalid(number, customId, "invalid_body",
                    "Line " + number + ": 'body' must be a JSON object");
        }
        return new LinePlan.Request(number, customId, mapper.writeValueAsBytes(body));
    }

    private static String string(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node != null && node.isString() ? node.asString() : null;
    }
}
