package dev.llmserve.engine.step;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.llmserve.engine.config.UnsupportedModelException;
import dev.llmserve.engine.testing.TinyModels;
import dev.llmserve.engine.testing.TinyModels.Spec;
import dev.llmserve.engine.testing.TinyModels.TinyModel;
import dev.llmserve.engine.testing.TinyRuns;
import dev.llmserve.engine.weights.SafetensorsWriter;
import dev.llmserve.engine.weights.SafetensorsWriter.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder that is not a model the engine can run fails to load with a message naming the problem. */
class TinyUnsupportedModelTest {

    @TempDir
    Path dir;

    @Test
    void missingConfigJson() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("llama"));
        Files.delete(dir.resolve("config.json"));
        assertRejected(model, "config.json is missing");
    }

    @Test
    void missingWeights() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("llama"));
        Files.delete(dir.resolve("model.safetensors"));
        assertRejected(model, "no *.safetensors");
    }

    @Test
    void missingShard() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("sharded").sharded());
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        assertRejected(model, "model-00002-of-00002.safetensors", "missing");
    }

    @Test
    void unknownModelType() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("llama"));
        editConfig(c -> c.addProperty("model_type", "gpt2"));
        assertRejected(model, "model_type 'gpt2' is not supported");
    }

    @Test
    void transposedProjection() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("llama"));
        String name = "model.layers.1.self_attn.k_proj.weight";
        replace(model, name, t -> new Tensor(name, t.dtype(), new long[] {t.shape()[1], t.shape()[0]}, t.values()));
        assertRejected(model, name, "[32, 16]", "[16, 32]");
    }

    @Test
    void normOfWrongLength() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("llama"));
        String name = "model.layers.0.post_attention_layernorm.weight";
        replace(model, name, t -> new Tensor(name, t.dtype(), new long[] {31}, new float[31]));
        assertRejected(model, name, "[31]", "[32]");
    }

    @Test
    void biasOfWrongLength() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("qwen2").qwen2());
        String name = "model.layers.1.self_attn.v_proj.bias";
        replace(model, name, t -> new Tensor(name, t.dtype(), new long[] {32}, new float[32]));
        assertRejected(model, name, "[32]", "[16]");
    }

    @Test
    void missingTensor() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("llama"));
        String name = "model.layers.1.mlp.down_proj.weight";
        replace(model, name, t -> null);
        assertRejected(model, "lacks tensor " + name);
    }

    @Test
    void untiedHeadWithoutLmHead() throws IOException {
        TinyModel model = TinyModels.write(dir, new Spec("llama"));
        replace(model, "lm_head.weight", t -> null);
        assertRejected(model, "tie_word_embeddings=false", "lm_head.weight");
    }

    private static void assertRejected(TinyModel model, String... fragments) {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> TinyRuns.load(model, 16).close());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention " + fragment);
        }
    }

    private void editConfig(Consumer<JsonObject> edit) throws IOException {
        Path file = dir.resolve("config.json");
        JsonObject config = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        edit.accept(config);
        Files.writeString(file, config.toString());
    }

    /** Rewrites model.safetensors with the named tensor replaced, or dropped when the edit returns null. */
    private static void replace(TinyModel model, String name, UnaryOperator<Tensor> edit)
            throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : model.tensors().values()) {
            Tensor kept = t.name().equals(name) ? edit.apply(t) : t;
            if (kept != null) {
                tensors.add(kept);
            }
        }
        SafetensorsWriter.write(model.dir().resolve("model.safetensors"), tensors);
    }
}
