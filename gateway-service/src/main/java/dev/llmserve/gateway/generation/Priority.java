package dev.llmserve.gateway.generation;

/** A request's scheduling class, as {@code GenerationRequest.priority} carries it. */
public enum Priority {

    /** An API call a client waits on. */
    INTERACTIVE("interactive"),
    /** A line of a batch job: served from the scheduler's spare capacity. */
    BATCH("batch");

    private final String wireName;

    Priority(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
