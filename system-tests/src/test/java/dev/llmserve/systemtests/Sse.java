package dev.llmserve.systemtests;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A streaming chat request over plain HTTP, read chunk by chunk as any SSE client would. */
final class Sse {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Sse() {}

    static String chatBody(String model, String userMessage, int maxTokens, boolean ignoreEos) {
        JsonObject body = new JsonObject();
        body.addProperty("model", model);
        body.addProperty("stream", true);
        body.addProperty("temperature", 0);
        body.addProperty("max_tokens", maxTokens);
        if (ignoreEos) {
            body.addProperty("ignore_eos", true);
        }
        JsonObject message = new JsonObject();
        message.addProperty("role", "user");
        message.addProperty("content", userMessage);
        com.google.gson.JsonArray messages = new com.google.gson.JsonArray();
        messages.add(message);
        body.add("messages", messages);
        return body.toString();
    }

    static InputStream open(String gatewayUrl, String body) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl
                        + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /** Every chunk of a finished stream, parsed; the stream must end with [DONE]. */
    static List<JsonObject> readAll(InputStream in) throws IOException {
        List<JsonObject> chunks = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.equals("data: [DONE]")) {
                    return chunks;
                }
                if (line.startsWith("data: ")) {
                    chunks.add(JsonParser.parseString(line.substring(6)).getAsJsonObject());
                }
            }
        }
        throw new IOException("stream ended without data: [DONE]");
    }

    static String content(List<JsonObject> chunks) {
        StringBuilder text = new StringBuilder();
        for (JsonObject chunk : chunks) {
            for (var choice : chunk.getAsJsonArray("choices")) {
                JsonObject delta = choice.getAsJsonObject().getAsJsonObject("delta");
                if (delta != null && delta.has("content") && !delta.get("content").isJsonNull()) {
                    text.append(delta.get("content").getAsString());
                }
            }
        }
        return text.toString();
    }
}
