package dev.llmserve.gateway.batch.store;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON encoding of the store's records and their keys. As with the Kafka messages, unknown fields
 * are ignored and a record of a newer major version {@code v} is refused.
 */
final class StoreCodec {

    private static final String CANCEL_SUFFIX = "/cancel";
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StoreCodec() {}

    static byte[] encode(Object record) {
        return MAPPER.writeValueAsBytes(record);
    }

    static StoredFile decodeFile(byte[] bytes) {
        StoredFile file = MAPPER.readValue(bytes, StoredFile.class);
        checkVersion(file.v(), StoredFile.VERSION, "StoredFile");
        return file;
    }

    static StoredBatch decodeBatch(byte[] bytes) {
        StoredBatch batch = MAPPER.readValue(bytes, StoredBatch.class);
        checkVersion(batch.v(), StoredBatch.VERSION, "StoredBatch");
        return batch;
    }

    static CancelMark decodeCancel(byte[] bytes) {
        CancelMark mark = MAPPER.readValue(bytes, CancelMark.class);
        checkVersion(mark.v(), CancelMark.VERSION, "CancelMark");
        return mark;
    }

    static LineResult decodeResult(byte[] bytes) {
        LineResult result = MAPPER.readValue(bytes, LineResult.class);
        checkVersion(result.v(), LineResult.VERSION, "LineResult");
        return result;
    }

    static String chunkKey(String fileId, int index) {
        return fileId + "/" + index;
    }

    static String cancelKey(String batchId) {
        return batchId + CANCEL_SUFFIX;
    }

    static boolean isCancelKey(String key) {
        return key.endsWith(CANCEL_SUFFIX);
    }

    static String resultKey(String batchId, int line) {
        return batchId + "/" + line;
    }

    /** The batch id and line index of a result key. */
    static String[] splitResultKey(String key) {
        int slash = key.lastIndexOf('/');
        return new String[] {key.substring(0, slash), key.substring(slash + 1)};
    }

    private static void checkVersion(int got, int supported, String type) {
        if (got < 1 || got > supported) {
            throw new IllegalArgumentException(type + " version " + got + " is not supported (up to " + supported + ")");
        }
    }
}
