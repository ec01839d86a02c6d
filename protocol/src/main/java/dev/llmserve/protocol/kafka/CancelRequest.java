package dev.llmserve.protocol.kafka;

/** Published to {@link Topics#CANCELS} when a client goes away or asks to stop. */
public record CancelRequest(int v, String requestId) {

    public static final int VERSION = 1;
}
