package dev.llmserve.tools.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.llmserve.tools.tokenizer.SpecialTokens;

/**
 * What a model needs to know of its tokenizer: the vocabulary size and the id of the end-of-text token
 * that separates documents (and serves as BOS and EOS).
 */
public record ModelTokens(int vocabSize, int endOfText) {

    public static ModelTokens read(Path tokenizerDir) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(tokenizerDir.resolve("tokenizer.json")))
                .getAsJsonObject();
        int size = json.getAsJsonObject("model").getAsJsonObject("vocab").size();
        Integer endOfText = null;
        for (JsonElement element : json.getAsJsonArray("added_tokens")) {
            JsonObject token = element.getAsJsonObject();
            int id = token.get("id").getAsInt();
            size = Math.max(size, id + 1);
            if (token.get("content").getAsString().equals(SpecialTokens.END_OF_TEXT)) {
                endOfText = id;
            }
        }
        if (endOfText == null) {
            throw new IllegalArgumentException(tokenizerDir + "/tokenizer.json has no " + SpecialTokens.END_OF_TEXT + " token");
        }
        return new ModelTokens(size, endOfText);
    }
}
