package dev.llmserve.gateway.batch.store;

/**
 * A client asked to cancel a batch. Any gateway may write it (under its own key, so it never
 * overwrites the batch's snapshot); the gateway that drives the batch acts on it.
 *
 * @param at epoch seconds: the batch's {@code cancelling_at}
 */
public record CancelMark(int v, String batchId, long at) {

    public static final int VERSION = 1;
}
