package dev.llmserve.engine.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Id-to-piece table read straight from {@code tokenizer.json}, because DJL's tokenizer wrapper
 * exposes neither the vocabulary size nor the piece of an id. Covers the model's vocabulary (an
 * object for BPE/WordPiece/WordLevel, a list of [piece, score] for Unigram) and the added tokens.
 */
final class Vocabulary {

    private final String[] pieces;
    private final Map<String, Integer> ids;

    private Vocabulary(Map<String, Integer> ids) {
        this.ids = Map.copyOf(ids);
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.pieces = new String[size];
        ids.forEach((piece, id) -> pieces[id] = piece);
    }

    static Vocabulary read(Path tokenizerJson) {
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(tokenizerJson, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + tokenizerJson, e);
        }
        Map<String, Integer> ids = new HashMap<>();
        JsonElement vocab = root.getAsJsonObject("model").get("vocab");
        if (vocab.isJsonArray()) {
            JsonArray entries = vocab.getAsJsonArray();
            for (int id = 0; id < entries.size(); id++) {
                ids.put(entries.get(id).getAsJsonArray().get(0).getAsString(), id);
            }
        } else {
            vocab.getAsJsonObject().entrySet().forEach(e -> ids.put(e.getKey(), e.getValue().getAsInt()));
        }
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement token : added.getAsJsonArray()) {
                JsonObject t = token.getAsJsonObject();
                ids.put(t.get("content").getAsString(), t.get("id").getAsInt());
            }
        }
        return new Vocabulary(ids);
    }

    /** Highest id + 1: every id the tokenizer can produce is below it. */
    int size() {
        return pieces.length;
    }

    String piece(int id) {
        if (id < 0 || id >= pieces.length || pieces[id] == null) {
            throw new IllegalArgumentException("Token id " + id + " is not in the vocabulary (size " + pieces.length + ")");
        }
        return pieces[id];
    }

    OptionalInt id(String piece) {
        Integer id = ids.get(piece);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }
}
