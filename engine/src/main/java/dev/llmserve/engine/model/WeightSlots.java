package dev.llmserve.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weight list {@code llama_step.torchscript} receives, built by name: each entry's index in the list
 * is passed to the script as an attribute ({@code slot_<name>}, -1 where absent; a layer's entries at
 * {@code layers_from + layer_stride·l + layer_<name>}), so the layout is defined here and only here.
 */
final class WeightSlots {

    /** Entries used by the whole step. */
    enum Shared {
        EMBEDDING, LM_HEAD, ROPE_MATRICES, ROPE_COS, ROPE_SIN, ROTATE_HALF, EPS, INV_HIDDEN, KV_HEAD_IDS;

        String attribute() {
            return "slot_" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** Entries every layer has (QKV_BIAS only for models with attention biases). */
    enum PerLayer {
        QKV, OUT, GATE_UP, DOWN, QKV_BIAS;

        String attribute() {
            return "layer_" + name().toLowerCase(Locale.ROOT);
        }
    }

    private final List<NDArray> tensors = new ArrayList<>();
    private final Map<Shared, Integer> shared = new EnumMap<>(Shared.class);
    private final Map<PerLayer, Integer> layerOffsets = new EnumMap<>(PerLayer.class);
    private int layersFrom = -1;
    private int layerCount;

    void put(Shared slot, NDArray tensor) {
        if (layersFrom >= 0) {
            throw new IllegalStateException("shared entries come before the layers");
        }
        if (shared.putIfAbsent(slot, tensors.size()) != null) {
            throw new IllegalStateException(slot + " given twice");
        }
        tensors.add(tensor);
    }

    /** The next layer's entries; every layer must name the same ones. */
    void putLayer(Map<PerLayer, NDArray> layer) {
        if (layersFrom < 0) {
            layersFrom = tensors.size();
            int offset = 0;
            for (PerLayer slot : PerLayer.values()) {
                if (layer.containsKey(slot)) {
                    layerOffsets.put(slot, offset++);
                }
            }
        } else if (!layer.keySet().equals(layerOffsets.keySet())) {
            throw new IllegalArgumentException("layer " + layerCount + " has " + layer.keySet()
                    + ", the first had " + layerOffsets.keySet());
        }
        for (PerLayer slot : layerOffsets.keySet()) { // EnumMap: in declaration order, as the offsets
            tensors.add(layer.get(slot));
        }
        layerCount++;
    }

    /** Declares every index as an attribute of the module. */
    TorchScriptModule.Builder attributes(TorchScriptModule.Builder builder) {
        for (Shared slot : Shared.values()) {
            builder.attribute(slot.attribute(), shared.getOrDefault(slot, -1));
        }
        for (PerLayer slot : PerLayer.values()) {
            builder.attribute(slot.attribute(), layerOffsets.getOrDefault(slot, -1));
        }
        return builder.attribute("layers_from", layersFrom).attribute("layer_stride", layerOffsets.size());
    }

    /** The list, as the script's {@code weights} argument; the caller closes it. */
    IValue list() {
        return IValue.listFrom(tensors.stream().map(a -> (PtNDArray) a).toArray(PtNDArray[]::new));
    }
}
