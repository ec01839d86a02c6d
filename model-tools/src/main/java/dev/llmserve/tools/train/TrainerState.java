package dev.llmserve.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.llmserve.engine.weights.SafetensorsFile;
import dev.llmserve.engine.weights.SafetensorsWriter;
import dev.llmserve.engine.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a resumed run needs beyond the model folder, kept in its {@code trainer/} subfolder: the step
 * reached, the float32 master weights (the folder's weights may be float16) and AdamW's moments.
 */
public final class TrainerState {

    private static final String FOLDER = "trainer";

    private TrainerState() {}

    public static void save(Path modelDir, int step, LlamaParameters parameters, AdamW optimizer) throws IOException {
        Path dir = Files.createDirectories(modelDir.resolve(FOLDER));
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        add(tensors, "param.", parameters.byName());
        add(tensors, "m.", optimizer.firstMoments());
        add(tensors, "v.", optimizer.secondMoments());
        Path partial = dir.resolve("optimizer.safetensors.partial");
        SafetensorsWriter.write(partial, tensors);
        Files.move(partial, dir.resolve("optimizer.safetensors"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        JsonObject json = new JsonObject();
        json.addProperty("step", step);
        json.addProperty("optimizer_steps", optimizer.steps());
        ModelFolder.writeJson(dir.resolve("state.json"), json);
    }

    public static boolean exists(Path modelDir) {
        return Files.isRegularFile(modelDir.resolve(FOLDER).resolve("state.json"));
    }

    /** Loads master weights and moments into {@code parameters} and {@code optimizer}; returns the next step. */
    public static int restore(Path modelDir, LlamaParameters parameters, AdamW optimizer, NDManager manager)
            throws IOException {
        Path dir = modelDir.resolve(FOLDER);
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("state.json"))).getAsJsonObject();
        SafetensorsFile file = SafetensorsFile.open(dir.resolve("optimizer.safetensors"));
        Map<String, NDArray> first = new LinkedHashMap<>();
        Map<String, NDArray> second = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.byName().entrySet()) {
            String name = e.getKey();
            e.getValue().set(file.loadFloat32(manager, "param." + name).toFloatArray());
            first.put(name, file.loadFloat32(manager, "m." + name).duplicate());
            second.put(name, file.loadFloat32(manager, "v." + name).duplicate());
        }
        optimizer.restore(json.get("optimizer_steps").getAsLong(), first, second);
        return json.get("step").getAsInt();
    }

    private static void add(List<SafetensorsWriter.Tensor> out, String prefix, Map<String, NDArray> tensors) {
        tensors.forEach((name, t) -> out.add(new SafetensorsWriter.Tensor(prefix + name, TensorDType.F32,
                t.getShape().getShape(), t.toFloatArray())));
    }
}
