package dev.llmserve.tools.train;

import ai.djl.ndarray.NDArray;

/** Input windows [batch, length] and the next-token targets [batch·length], both int64. */
public record Batch(NDArray inputs, NDArray targets) {

    public long tokens() {
        return targets.size();
    }
}
