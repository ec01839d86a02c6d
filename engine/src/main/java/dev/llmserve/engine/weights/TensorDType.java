package dev.llmserve.engine.weights;

/** The safetensors element types the engine reads and writes. */
public enum TensorDType {
    F32(4),
    F16(2),
    BF16(2);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
