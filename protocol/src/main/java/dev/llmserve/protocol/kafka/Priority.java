package dev.llmserve.protocol.kafka;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A request's scheduling class, as {@link GenerationRequest#priority()} carries it. Interactive
 * requests (API calls a client waits on) come first; batch requests (Batch API job lines) run only on
 * capacity interactive ones leave, and give way to them first.
 */
public enum Priority {

    INTERACTIVE("interactive"),
    BATCH("batch");

    private final String wireName;

    Priority(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire and in metric tags: {@code interactive}, {@code batch}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Null or anything unknown is interactive, so nothing is demoted by mistake. */
    @JsonCreator
    public static Priority of(String wireName) {
        return BATCH.wireName.equals(wireName) ? BATCH : INTERACTIVE;
    }
}
