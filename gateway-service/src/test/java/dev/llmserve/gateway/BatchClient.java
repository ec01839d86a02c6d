package dev.llmserve.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The Files and Batch APIs over real HTTP, as a client uses them. */
public final class BatchClient {

    public static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

    private final Api api;

    public BatchClient(Api api) {
        this.api = api;
    }

    /** A batch input line for /v1/chat/completions. */
    public static String chatLine(String customId, String userText, String extraFields) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
                + GatewayTestSupport.chat(userText, extraFields) + "}";
    }

    /** Uploads the lines as a JSONL file with purpose "batch"; returns the file id. */
    public String upload(List<String> lines) {
        Api.Response response = api.upload("requests.jsonl",
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), "batch");
        if (response.status() != 200) {
            throw new AssertionError("upload failed: " + response.status() + " " + response.body());
        }
        return response.json().get("id").asString();
    }

    public JsonNode create(String fileId, String endpoint) {
        Api.Response response = api.post("/v1/batches", "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\""
                + endpoint + "\",\"completion_window\":\"24h\"}").join();
        if (response.status() != 200) {
            throw new AssertionError("create failed: " + response.status() + " " + response.body());
        }
        return response.json();
    }

    public JsonNode get(String batchId) {
        return api.get("/v1/batches/" + batchId).json();
    }

    /** Polls the batch until its status is one of {@code statuses}. */
    public JsonNode await(String batchId, Set<String> statuses, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode batch = get(batchId);
        while (!statuses.contains(batch.get("status").asString())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("batch not " + statuses + " within " + timeout + ": " + batch);
            }
            Thread.sleep(50);
            batch = get(batchId);
        }
        return batch;
    }

    public String content(String fileId) {
        Api.Response response = api.get("/v1/files/" + fileId + "/content");
        if (response.status() != 200) {
            throw new AssertionError("content failed: " + response.status() + " " + response.body());
        }
        return response.body();
    }

    /** The lines of an output or error file, parsed. */
    public List<JsonNode> lines(String fileId) {
        List<JsonNode> lines = new ArrayList<>();
        content(fileId).lines().filter(line -> !line.isBlank()).forEach(line -> lines.add(Api.JSON.readTree(line)));
        return lines;
    }
}
