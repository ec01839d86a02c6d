package dev.llmserve.benchserve;

import com.google.gson.JsonArray;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one streaming {@code /v1/completions} request with a token-id prompt (so the input length
 * is exact) and {@code ignore_eos} (so the output length is exact), timing each SSE chunk.
 */
final class StreamingClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;

    StreamingClient(String baseUrl) {
        this.url = baseUrl + "/v1/completions";
    }

    /** @param speculative null leaves the deployment's default; false opts the request out */
    RequestTiming send(String model, int[] prompt, int maxTokens, Boolean speculative) {
        JsonObject body = new JsonObject();
        body.addProperty("model", model);
        JsonArray ids = new JsonArray();
        for (int id : prompt) {
            ids.add(id);
        }
        body.add("prompt", ids);
        body.addProperty("max_tokens", maxTokens);
        body.addProperty("temperature", 0);
        body.addProperty("ignore_eos", true);
        if (speculative != null) {
            body.addProperty("speculative", speculative);
        }
        body.addProperty("stream", true);
        JsonObject streamOptions = new JsonObject();
        streamOptions.addProperty("include_usage", true);
        body.add("stream_options", streamOptions);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        long start = System.nanoTime();
        List<Double> chunks = new ArrayList<>();
        int outputTokens = 0;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                if (response.statusCode() != 200) {
                    return failed(start, "HTTP " + response.statusCode() + ": " + reader.readLine());
                }
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                        continue;
                    }
                    JsonObject chunk = JsonParser.parseString(line.substring(6)).getAsJsonObject();
                    if (chunk.has("error")) {
                        return failed(start, chunk.get("error").toString());
                    }
                    if (chunk.has("usage") && !chunk.get("usage").isJsonNull()) {
                        outputTokens = chunk.getAsJsonObject("usage").get("completion_tokens").getAsInt();
                    }
                    JsonArray choices = chunk.getAsJsonArray("choices");
                    if (choices != null && !choices.isEmpty()) {
                        chunks.add((System.nanoTime() - start) / 1e9);
                    }
                }
            }
        } catch (IOException e) {
            return failed(start, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(start, "interrupted");
        }
        return new RequestTiming(true, null, (System.nanoTime() - start) / 1e9, chunks, outputTokens);
    }

    private static RequestTiming failed(long start, String error) {
        return new RequestTiming(false, error, (System.nanoTime() - start) / 1e9, List.of(), 0);
    }
}
