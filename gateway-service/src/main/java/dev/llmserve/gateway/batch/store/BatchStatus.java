package dev.llmserve.gateway.batch.store;

import java.util.Arrays;

/** OpenAI's batch statuses. */
public enum BatchStatus {
    VALIDATING, IN_PROGRESS, FINALIZING, COMPLETED, FAILED, EXPIRED, CANCELLING, CANCELLED;

    /** As the API writes it: {@code in_progress}. */
    public String wireName() {
        return name().toLowerCase();
    }

    /** The name of the timestamp field set when a batch enters this status: {@code in_progress_at}. */
    public String timestampField() {
        return wireName() + "_at";
    }

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == EXPIRED || this == CANCELLED;
    }

    public static BatchStatus of(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown batch status '" + wireName + "'"));
    }
}
