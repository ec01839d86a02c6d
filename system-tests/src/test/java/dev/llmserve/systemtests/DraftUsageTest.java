package dev.llmserve.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A speculating request's draft tokens travel from batching-service through Kafka to the stream's
 * usage chunk as OpenAI's {@code completion_tokens_details}; a request that opts out has none.
 */
class DraftUsageTest {

    @Test
    void theUsageChunkCountsTheDraftTokensAcceptedAndRejected() throws Exception {
        RunningSuite suite = RunningSuite.get();
        suite.awaitIdle(30_000);
        double acceptedBefore = suite.batchingMetric("llmserve_spec_accepted_tokens_total");
        double proposedBefore = suite.batchingMetric("llmserve_spec_draft_tokens_total");

        JsonObject usage = usage(suite, null);

        JsonObject details = usage.getAsJsonObject("completion_tokens_details");
        int accepted = details.get("accepted_prediction_tokens").getAsInt();
        int rejected = details.get("rejected_prediction_tokens").getAsInt();
        assertEquals(64, usage.get("completion_tokens").getAsInt());
        assertTrue(accepted > 0, "the distilled draft has drafts accepted: " + details);
        assertTrue(accepted < 64, "every step adds the target's own token besides the accepted drafts: " + details);
        assertTrue(rejected >= 0, details.toString());
        // this request ran alone, so it accounts for all the engine counted meanwhile
        assertEquals(acceptedBefore + accepted, suite.batchingMetric("llmserve_spec_accepted_tokens_total"));
        assertEquals(proposedBefore + accepted + rejected, suite.batchingMetric("llmserve_spec_draft_tokens_total"));
    }

    @Test
    void aRequestThatOptsOutReportsNoDraftTokens() throws Exception {
        JsonObject usage = usage(RunningSuite.get(), false);

        assertEquals(64, usage.get("completion_tokens").getAsInt());
        assertFalse(usage.has("completion_tokens_details"), usage.toString());
    }

    private static JsonObject usage(RunningSuite suite, Boolean speculative) throws Exception {
        JsonObject body = JsonParser.parseString(Sse.chatBody("brown-6m", "Tell me a story about a cat.", 64, true))
                .getAsJsonObject();
        JsonObject options = new JsonObject();
        options.addProperty("include_usage", true);
        body.add("stream_options", options);
        if (speculative != null) {
            body.addProperty("speculative", speculative);
        }
        List<JsonObject> chunks = Sse.readAll(Sse.open(suite.gatewayUrl, body.toString()));
        JsonObject last = chunks.get(chunks.size() - 1);
        assertTrue(last.getAsJsonArray("choices").isEmpty(), "the usage chunk comes last: " + last);
        return last.getAsJsonObject("usage");
    }
}
