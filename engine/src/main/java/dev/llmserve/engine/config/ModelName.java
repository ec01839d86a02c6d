package dev.llmserve.engine.config;

import java.nio.file.Path;

/** The agreed served-model name, the one rule every service uses. */
public final class ModelName {

    private ModelName() {
    }

    /**
     * The folder's name, or its parent's when the folder is called {@code hf} (so {@code models/stories260K/hf}
     * is "stories260K").
     */
    public static String of(Path modelFolder) {
        Path folder = modelFolder.toAbsolutePath().normalize();
        Path named = "hf".equals(String.valueOf(folder.getFileName())) && folder.getParent() != null
                ? folder.getParent() : folder;
        return String.valueOf(named.getFileName());
    }
}
