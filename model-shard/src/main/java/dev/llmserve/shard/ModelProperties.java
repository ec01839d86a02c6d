package dev.llmserve.shard;

import dev.llmserve.engine.config.ModelName;
import dev.llmserve.engine.step.RunnerOptions;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The model a shard service (inference-service, draft-service) serves ({@code llmserve.model.*}).
 *
 * @param path the Hugging Face model folder (config.json, safetensors, tokenizer.json); required
 * @param device cpu, gpu or auto
 * @param kvCacheMemory KV cache budget as a size ("512m", "2g") or a fraction of free memory ("0.2"); null for
 *     the engine's default
 * @param blockSize KV block size in tokens (a draft's must equal its target's: both caches use the same block
 *     tables)
 * @param name the model name clients use and Info reports; null for {@link ModelName}'s rule
 */
@ConfigurationProperties("llmserve.model")
public record ModelProperties(
        Path path, @DefaultValue("auto") String device, String kvCacheMemory, @DefaultValue("16") int blockSize,
        String name) {

    public ModelProperties {
        if (path == null) {
            throw new IllegalArgumentException("llmserve.model.path must name a model folder");
        }
    }

    public RunnerOptions runnerOptions() {
        return new RunnerOptions(device, kvCacheMemory, blockSize);
    }

    /** The explicit name, else the agreed one: the folder's name, or its parent's when the folder is called {@code hf}. */
    public String servedName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return ModelName.of(path);
    }
}
