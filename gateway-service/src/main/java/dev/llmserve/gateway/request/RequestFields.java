package dev.llmserve.gateway.request;

import dev.llmserve.gateway.error.OpenAiException;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fields of a JSON request object, read with strict types: a wrong type, an out-of-range integer
 * or malformed JSON is a 400 naming the parameter, never a silent coercion. A field set to
 * {@code null} counts as absent, as in OpenAI's API.
 */
public final class RequestFields {

    private final JsonNode json;
    private final String path;

    private RequestFields(JsonNode json, String path) {
        this.json = json;
        this.path = path;
    }

    public static RequestFields parse(byte[] body, JsonMapper mapper) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JacksonException e) {
            throw OpenAiException.invalidRequest(null,
                    "The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (json == null || json.isMissingNode()) {
            throw OpenAiException.invalidRequest(null, "The request body is empty; expected a JSON object");
        }
        if (!json.isObject()) {
            throw OpenAiException.invalidRequest(null, "The request body must be a JSON object");
        }
        return new RequestFields(json, "");
    }

    /** The object at {@code node}, reported as {@code param} in errors (e.g. "messages[0]"). */
    public static RequestFields of(JsonNode node, String param) {
        if (!node.isObject()) {
            throw wrongType(param, "an object", node);
        }
        return new RequestFields(node, param + ".");
    }

    /** The parameter name errors report for {@code field}. */
    public String param(String field) {
        return path + field;
    }

    public Optional<JsonNode> value(String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    public String requiredString(String field) {
        return string(field).orElseThrow(
                () -> OpenAiException.invalidRequest(param(field), "Missing required parameter: '" + param(field) + "'"));
    }

    public Optional<String> string(String field) {
        return value(field).map(node -> {
            if (!node.isString()) {
                throw wrongType(param(field), "a string", node);
            }
            return node.asString();
        });
    }

    public Optional<Boolean> bool(String field) {
        return value(field).map(node -> {
            if (!node.isBoolean()) {
                throw wrongType(param(field), "a boolean", node);
            }
            return node.asBoolean();
        });
    }

    public Optional<Integer> integer(String field) {
        return value(field).map(node -> integer(node, param(field)));
    }

    public Optional<Long> longInteger(String field) {
        return value(field).map(node -> {
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw wrongType(param(field), "an integer", node);
            }
            return node.asLong();
        });
    }

    /** A number a float can hold. */
    public Optional<Float> number(String field) {
        return value(field).map(node -> {
            if (!node.isNumber() || !Float.isFinite((float) node.asDouble())) {
                throw wrongType(param(field), "a number", node);
            }
            return (float) node.asDouble();
        });
    }

    /** A number within [min, max]. */
    public Optional<Float> number(String field, double min, double max) {
        return number(field).map(value -> {
            if (!(value >= min && value <= max)) {
                throw OpenAiException.invalidRequest(param(field), "'" + param(field) + "' must be between "
                        + format(min) + " and " + format(max) + ", got " + value);
            }
            return value;
        });
    }

    public static int integer(JsonNode node, String param) {
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(param, "an integer", node);
        }
        return node.asInt();
    }

    public static OpenAiException wrongType(String param, String expected, JsonNode got) {
        return OpenAiException.invalidRequest(param, "'" + param + "' must be " + expected + ", got " + describe(got));
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    private static String format(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
}
