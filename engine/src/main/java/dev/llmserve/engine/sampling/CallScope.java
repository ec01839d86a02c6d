package dev.llmserve.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The arrays of one call. A DJL result belongs to its first operand's manager, so the logits are
 * lent to a sub-manager for the call: every intermediate lands there and is freed on close, and the
 * logits go back to their own manager.
 */
final class CallScope implements AutoCloseable {

    private final NDManager owner;
    private final NDManager scope;

    CallScope(NDArray logits) {
        owner = logits.getManager();
        scope = owner.newSubManager(logits.getDevice());
        logits.tempAttach(scope);
    }

    NDManager manager() {
        return scope;
    }

    /** Hands a result (never the logits themselves) to the logits' manager so it outlives the call. */
    NDArray keep(NDArray result) {
        result.attach(owner);
        return result;
    }

    @Override
    public void close() {
        scope.close();
    }
}
