package dev.llmserve.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /v1/files, GET /v1/files/{id} and its content: OpenAI's shapes, chunked storage, refusals. */
@BatchIntegrationTest
class FilesApiTest extends GatewayTestSupport {

    @Test
    void storesAFileInChunksAndGivesItBackByteForByte() {
        // about 5 KB with multi-byte characters split across the 1 KB chunks
        String text = IntStream.range(0, 60).mapToObj(i -> "{\"custom_id\":\"" + i + "\",\"note\":\"über — 日本語 " + i + "\"}")
                .collect(Collectors.joining("\n", "", "\n"));
        byte[] content = text.getBytes(StandardCharsets.UTF_8);

        Api.Response created = api().upload("input.jsonl", content, "batch");

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        JsonNode file = created.json();
        assertThat(file.get("id").asString()).startsWith("file-");
        assertThat(file.get("object").asString()).isEqualTo("file");
        assertThat(file.get("bytes").asLong()).isEqualTo(content.length);
        assertThat(file.get("created_at").asLong()).isPositive();
        assertThat(file.get("filename").asString()).isEqualTo("input.jsonl");
        assertThat(file.get("purpose").asString()).isEqualTo("batch");
        assertThat(file.get("status").asString()).isEqualTo("processed");

        String id = file.get("id").asString();
        assertThat(api().get("/v1/files/" + id).json()).isEqualTo(file);
        Api.Response download = api().get("/v1/files/" + id + "/content");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(text);
    }

    @Test
    void refusesWhatIsNotABatchFile() {
        byte[] content = "{}\n".getBytes(StandardCharsets.UTF_8);
        assertError(api().upload("a.jsonl", content, "fine-tune"), 400, "purpose");
        assertError(api().upload("a.jsonl", content, null), 400, "purpose");
        assertError(api().upload("a.jsonl", null, "batch"), 400, "file");
        assertError(api().upload("a.jsonl", new byte[0], "batch"), 400, "file");
        assertError(api().upload("a.jsonl", new byte[65 * 1024], "batch"), 400, "file");
        assertError(api().post("/v1/files", "{\"purpose\":\"batch\"}").join(), 415, null);
    }

    @Test
    void answers404ForAnUnknownFile() {
        assertError(api().get("/v1/files/file-nope"), 404, null);
        assertError(api().get("/v1/files/file-nope/content"), 404, null);
    }

    private static void assertError(Api.Response response, int status, String param) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = response.json().get("error");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.get("param").isNull() ? null : error.get("param").asString()).isEqualTo(param);
    }
}
