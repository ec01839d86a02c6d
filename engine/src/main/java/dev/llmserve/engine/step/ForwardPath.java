package dev.llmserve.engine.step;

import java.util.Locale;

/** How a step's forward pass runs. */
public enum ForwardPath {
    /** {@link dev.llmserve.engine.model.LlamaModel}: op by op through DJL (differentiable; the training path). */
    OPS,
    /** {@link dev.llmserve.engine.model.TorchScriptForward}: the whole step as one TorchScript call. */
    TORCHSCRIPT;

    /** "ops" or "torchscript" (also "ts"), any case. */
    public static ForwardPath parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "ops", "op-by-op" -> OPS;
            case "torchscript", "ts" -> TORCHSCRIPT;
            default -> throw new IllegalArgumentException("unknown forward path '" + text + "' (ops or torchscript)");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
