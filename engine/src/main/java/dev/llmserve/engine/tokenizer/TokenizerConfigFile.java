package dev.llmserve.engine.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The parts of a model folder's {@code tokenizer_config.json} that HF's Python tokenizer uses but
 * {@code tokenizer.json} lacks: the BOS/EOS token texts and the chat template. Newer checkpoints keep
 * the template in a separate {@code chat_template.jinja}, which is read when the JSON has none.
 */
record TokenizerConfigFile(Optional<String> bosToken, Optional<String> eosToken, Optional<String> chatTemplate) {

    static final String FILE_NAME = "tokenizer_config.json";
    static final String JINJA_FILE_NAME = "chat_template.jinja";

    static TokenizerConfigFile load(Path modelDir) {
        JsonObject json = readJson(modelDir.resolve(FILE_NAME));
        Optional<String> template = chatTemplate(json.get("chat_template"));
        if (template.isEmpty()) {
            template = readText(modelDir.resolve(JINJA_FILE_NAME));
        }
        return new TokenizerConfigFile(tokenText(json.get("bos_token")), tokenText(json.get("eos_token")), template);
    }

    /** A special token is written either as its text or as an AddedToken object with a "content". */
    private static Optional<String> tokenText(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return Optional.empty();
        }
        if (element.isJsonObject()) {
            return tokenText(element.getAsJsonObject().get("content"));
        }
        return Optional.of(element.getAsString());
    }

    /** The template is a string, or a list of named templates of which "default" is the chat one. */
    private static Optional<String> chatTemplate(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return Optional.empty();
        }
        if (element.isJsonArray()) {
            for (JsonElement named : element.getAsJsonArray()) {
                JsonObject entry = named.getAsJsonObject();
                if ("default".equals(entry.get("name").getAsString())) {
                    return Optional.of(entry.get("template").getAsString());
                }
            }
            return Optional.empty();
        }
        return Optional.of(element.getAsString());
    }

    private static JsonObject readJson(Path file) {
        return readText(file).map(text -> JsonParser.parseString(text).getAsJsonObject()).orElseGet(JsonObject::new);
    }

    private static Optional<String> readText(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
