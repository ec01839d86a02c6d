package dev.llmserve.protocol.kafka;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON encoding of the Kafka messages. Unknown fields are ignored so that a newer producer's
 * additions do not break an older consumer; a message of a newer major version {@code v} is refused.
 */
public final class MessageCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private MessageCodec() {}

    public static byte[] encode(Object message) {
        return MAPPER.writeValueAsBytes(message);
    }

    public static GenerationRequest decodeRequest(byte[] bytes) {
        GenerationRequest r = MAPPER.readValue(bytes, GenerationRequest.class);
        checkVersion(r.v(), GenerationRequest.VERSION, "GenerationRequest");
        return r;
    }

    public static CancelRequest decodeCancel(byte[] bytes) {
        CancelRequest c = MAPPER.readValue(bytes, CancelRequest.class);
        checkVersion(c.v(), CancelRequest.VERSION, "CancelRequest");
        return c;
    }

    public static TokenEventBatch decodeTokenEvents(byte[] bytes) {
        TokenEventBatch b = MAPPER.readValue(bytes, TokenEventBatch.class);
        checkVersion(b.v(), TokenEventBatch.VERSION, "TokenEventBatch");
        return b;
    }

    private static void checkVersion(int got, int supported, String type) {
        if (got < 1 || got > supported) {
            throw new IllegalArgumentException(type + " version " + got + " is not supported (up to " + supported + ")");
        }
    }
}
