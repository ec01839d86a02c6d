package dev.llmserve.systemtests;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** The gateway's Files and Batch APIs over plain HTTP, as any client uses them. */
final class BatchApi {

    static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String gatewayUrl;

    BatchApi(String gatewayUrl) {
        this.gatewayUrl = gatewayUrl;
    }

    /** A batch input line calling /v1/chat/completions with {@code body}. */
    static String chatLine(String customId, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
                + body + "}";
    }

    /** A non-streaming greedy chat body. */
    static String chatBody(String userMessage, int maxTokens) {
        JsonObject body = JsonParser.parseString(Sse.chatBody("brown-6m", userMessage, maxTokens, false))
                .getAsJsonObject();
        body.remove("stream");
        return body.toString();
    }

    /** POST /v1/files (multipart, purpose "batch"); the file's id. */
    String upload(List<String> lines) throws IOException, InterruptedException {
        byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        String boundary = "llmserve-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"requests.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonObject file = json(send(HttpRequest.newBuilder(uri("/v1/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))));
        if (file.get("bytes").getAsLong() != content.length) {
            throw new IllegalStateException("stored " + file + " for " + content.length + " bytes");
        }
        return file.get("id").getAsString();
    }

    /** POST /v1/batches for /v1/chat/completions; the batch's id. */
    String create(String fileId) throws IOException, InterruptedException {
        return json(send(HttpRequest.newBuilder(uri("/v1/batches")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input_file_id\":\"" + fileId
                        + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}"))))
                .get("id").getAsString();
    }

    JsonObject get(String batchId) throws IOException, InterruptedException {
        return json(send(HttpRequest.newBuilder(uri("/v1/batches/" + batchId)).GET()));
    }

    JsonObject cancel(String batchId) throws IOException, InterruptedException {
        return json(send(HttpRequest.newBuilder(uri("/v1/batches/" + batchId + "/cancel"))
                .POST(HttpRequest.BodyPublishers.noBody())));
    }

    /** Polls the batch until {@code done} holds for it. */
    JsonObject await(String batchId, Predicate<JsonObject> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject batch = get(batchId);
        while (!done.test(batch)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("batch not as awaited within " + timeout + ": " + batch);
            }
            Thread.sleep(200);
            batch = get(batchId);
        }
        return batch;
    }

    static boolean ended(JsonObject batch) {
        return ENDED.contains(batch.get("status").getAsString());
    }

    static int count(JsonObject batch, String field) {
        return batch.getAsJsonObject("request_counts").get(field).getAsInt();
    }

    /** The lines of an output or error file, parsed. */
    List<JsonObject> lines(String fileId) throws IOException, InterruptedException {
        List<JsonObject> lines = new ArrayList<>();
        send(HttpRequest.newBuilder(uri("/v1/files/" + fileId + "/content")).GET()).lines()
                .filter(line -> !line.isBlank())
                .forEach(line -> lines.add(JsonParser.parseString(line).getAsJsonObject()));
        return lines;
    }

    /** POST /v1/chat/completions: what the interactive API answers for a body. */
    JsonObject chat(String body) throws IOException, InterruptedException {
        return json(send(HttpRequest.newBuilder(uri("/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    private URI uri(String path) {
        return URI.create(gatewayUrl + path);
    }

    private static String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static JsonObject json(String body) {
        return JsonParser.parseString(body).getAsJsonObject();
    }
}
