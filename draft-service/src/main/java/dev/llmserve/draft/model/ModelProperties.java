package dev.llmserve.draft.model;

import dev.llmserve.engine.step.RunnerOptions;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The draft model this service serves ({@code llmserve.model.*}, the same settings as inference-service's;
 * see docs/draft-service.md for why this is a second copy for now).
 *
 * @param path the Hugging Face model folder (config.json, safetensors, tokenizer.json); required
 * @param device cpu, gpu or auto
 * @param kvCacheMemory KV cache budget as a size ("512m", "2g") or a fraction of free memory ("0.2"); null for
 *     the engine's default
 * @param blockSize KV block size in tokens; must equal the target's, since both caches use the same block tables
 * @param name the model name Info reports; null for the folder's name
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

    /** The agreed name: the folder's name, or its parent's when the folder is called {@code hf}. */
    public String servedName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        Path folder = path.toAbsolutePath().normalize();
        Path named = "hf".equals(String.valueOf(folder.getFileName())) && folder.getParent() != null
                ? folder.getParent() : folder;
        return String.valueOf(named.getFileName());
    }
}
