package dev.llmserve.gateway.batch.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmserve.gateway.error.OpenAiException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lines of a batch's output and error files, in OpenAI's shape:
 * {@code {"id","custom_id","response":{"status_code","request_id","body"},"error"}}. A request the
 * endpoint answered (successfully or with an HTTP error) has a {@code response}; a line that could not
 * be run at all has {@code response: null} and an {@code error} with a code and the reason.
 */
@Component
class OutputLines {

    record Line(String id, @JsonProperty("custom_id") String customId, Response response, Error error) {}

    record Response(@JsonProperty("status_code") int statusCode, @JsonProperty("request_id") String requestId,
            Object body) {}

    record Error(String code, String message) {}

    private final JsonMapper mapper;

    OutputLines(JsonMapper mapper) {
        this.mapper = mapper;
    }

    String success(String batchId, int line, String customId, String requestId, Object body) {
        return write(new Line(id(batchId, line), customId, new Response(200, requestId, body), null));
    }

    /**
     * @param requestId the request that failed, or null when the line was refused before one was made
     */
    String httpError(String batchId, int line, String customId, String requestId, OpenAiException failure) {
        return write(new Line(id(batchId, line), customId,
                new Response(failure.status().value(), requestId, failure.body()), null));
    }

    String lineError(String batchId, int line, String customId, String code, String message) {
        return write(new Line(id(batchId, line), customId, null, new Error(code, message)));
    }

    /** The same id for a line however often it runs. */
    private static String id(String batchId, int line) {
        UUID uuid = UUID.nameUUIDFromBytes((batchId + "/" + line).getBytes(StandardCharsets.UTF_8));
        return "batch_req_" + uuid.toString().replace("-", "");
    }

    private String write(Line line) {
        return mapper.writeValueAsString(line);
    }
}
