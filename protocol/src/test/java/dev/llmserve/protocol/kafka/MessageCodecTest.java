package dev.llmserve.protocol.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    @Test
    void requestsRoundTrip() {
        GenerationRequest request = new GenerationRequest(1, "req-1", Topics.tokensFor("gw-a"), "brown-6m",
                List.of(1, 403, 407), new SamplingSpec(0.7f, 40, 0.9f, 0.05f, 1.1f, 0.5f, -0.5f, Map.of(7, -100f), 2),
                new StopSpec(32, List.of(2), List.of("\n\n"), false), 42L, Priority.BATCH, 1700000000000L, false);
        assertEquals(request, MessageCodec.decodeRequest(MessageCodec.encode(request)));
    }

    @Test
    void aRequestWithoutTheSpeculativeFieldTakesTheDeploymentsDefault() {
        String older = "{\"v\":1,\"requestId\":\"r\",\"replyTopic\":\"t\",\"model\":\"m\",\"promptTokens\":[1],"
                + "\"seed\":7,\"priority\":\"interactive\",\"createdAtMillis\":1}";
        GenerationRequest request = MessageCodec.decodeRequest(older.getBytes(StandardCharsets.UTF_8));
        assertEquals("r", request.requestId());
        assertNull(request.speculative());
        assertEquals(Priority.INTERACTIVE, request.priority());
    }

    @Test
    void priorityTravelsAsItsWireName() {
        GenerationRequest request = new GenerationRequest(1, "r", "t", "m", List.of(1), null, null, 7L, Priority.BATCH,
                1L, null);
        String json = new String(MessageCodec.encode(request), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"priority\":\"batch\""), json);
        String older = "{\"v\":1,\"requestId\":\"r\",\"replyTopic\":\"t\",\"model\":\"m\",\"promptTokens\":[1],"
                + "\"seed\":7,\"createdAtMillis\":1}";
        assertEquals(Priority.INTERACTIVE, MessageCodec.decodeRequest(older.getBytes(StandardCharsets.UTF_8)).priority());
    }

    @Test
    void tokenEventsRoundTrip() {
        TokenEventBatch batch = new TokenEventBatch(1, List.of(
                new TokenEvent("req-1", 0, List.of(5), "Hi", List.of(new TokenLogprobs(5, "Hi", -0.1f,
                        List.of(new TokenLogprobs.Alternative(6, "Ho", -2.5f)))), null, null, null),
                new TokenEvent("req-2", 3, List.of(2), "", List.of(), "stop", new Usage(4, 3), null),
                new TokenEvent("req-3", 9, List.of(2), "", List.of(), "length", new Usage(4, 12, 9, 3), null)));
        assertEquals(batch, MessageCodec.decodeTokenEvents(MessageCodec.encode(batch)));
    }

    @Test
    void usageFromASchedulerWithoutDraftCountsDecodesAsNotSpeculated() {
        String older = "{\"v\":1,\"events\":[{\"requestId\":\"r\",\"index\":0,\"tokenIds\":[2],\"text\":\"\","
                + "\"finishReason\":\"stop\",\"usage\":{\"promptTokens\":4,\"completionTokens\":1}}]}";
        Usage usage = MessageCodec.decodeTokenEvents(older.getBytes(StandardCharsets.UTF_8)).events().get(0).usage();
        assertEquals(new Usage(4, 1), usage);
        assertNull(usage.acceptedDraftTokens());
        assertNull(usage.rejectedDraftTokens());
    }

    @Test
    void derivedPropertiesStayOffTheWire() {
        TokenEvent last = new TokenEvent("req-1", 0, List.of(2), "", List.of(), "stop", new Usage(1, 1), null);
        String json = new String(MessageCodec.encode(new TokenEventBatch(1, List.of(last))), StandardCharsets.UTF_8);
        assertFalse(json.contains("\"last\""), json);
    }

    @Test
    void unknownFieldsAreIgnoredButNewerVersionsRefused() {
        String newer = "{\"v\":1,\"requestId\":\"r\",\"addedLater\":true}";
        assertEquals("r", MessageCodec.decodeCancel(newer.getBytes(StandardCharsets.UTF_8)).requestId());
        String v2 = "{\"v\":2,\"requestId\":\"r\"}";
        assertThrows(IllegalArgumentException.class,
                () -> MessageCodec.decodeCancel(v2.getBytes(StandardCharsets.UTF_8)));
    }
}
