package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;

/** Named checkpoint tensors in Hugging Face layout: a weight file at load time, live parameters in training. */
public interface TensorSource {

    NDArray get(String name);

    boolean contains(String name);
}
