package dev.llmserve.tools.tokenizer;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a trained tokenizer the way Hugging Face model folders hold one. {@code tokenizer.json}
 * follows GPT-2's layout (BPE model, ByteLevel pre-tokenizer and decoder, no normalizer), with
 * Llama 3's post-processor: ByteLevel, then a template that puts {@code <|endoftext|>} first when
 * special tokens are added, so prompts start the way training documents do.
 * {@code tokenizer_config.json} names that token as BOS and EOS.
 */
final class TokenizerFiles {

    static final String TOKENIZER_JSON = "tokenizer.json";
    static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private TokenizerFiles() {}

    static void write(ByteLevelBpe bpe, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(TOKENIZER_JSON), GSON.toJson(tokenizerJson(bpe)) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(TOKENIZER_CONFIG_JSON), GSON.toJson(tokenizerConfig()) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the tokenizer into " + dir, e);
        }
    }

    static JsonObject tokenizerJson(ByteLevelBpe bpe) {
        JsonObject json = new JsonObject();
        json.addProperty("version", "1.0");
        json.add("truncation", JsonNull.INSTANCE);
        json.add("padding", JsonNull.INSTANCE);
        JsonArray addedTokens = new JsonArray();
        addedTokens.add(addedToken());
        json.add("added_tokens", addedTokens);
        json.add("normalizer", JsonNull.INSTANCE);
        json.add("pre_tokenizer", byteLevel(false, true));
        JsonObject postProcessor = new JsonObject();
        postProcessor.addProperty("type", "Sequence");
        JsonArray processors = new JsonArray();
        processors.add(byteLevel(true, false));
        processors.add(bosTemplate());
        postProcessor.add("processors", processors);
        json.add("post_processor", postProcessor);
        json.add("decoder", byteLevel(true, true));
        json.add("model", model(bpe));
        return json;
    }

    private static JsonObject addedToken() {
        JsonObject token = new JsonObject();
        token.addProperty("id", SpecialTokens.END_OF_TEXT_ID);
        token.addProperty("content", SpecialTokens.END_OF_TEXT);
        token.addProperty("single_word", false);
        token.addProperty("lstrip", false);
        token.addProperty("rstrip", false);
        token.addProperty("normalized", false);
        token.addProperty("special", true);
        return token;
    }

    /** GPT-2's ByteLevel settings; add_prefix_space is false where it changes ids, so decode(encode(x)) == x. */
    private static JsonObject byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        JsonObject byteLevel = new JsonObject();
        byteLevel.addProperty("type", "ByteLevel");
        byteLevel.addProperty("add_prefix_space", addPrefixSpace);
        byteLevel.addProperty("trim_offsets", trimOffsets);
        byteLevel.addProperty("use_regex", true);
        return byteLevel;
    }

    private static JsonObject bosTemplate() {
        JsonObject template = new JsonObject();
        template.addProperty("type", "TemplateProcessing");
        JsonArray single = new JsonArray();
        single.add(templatePiece("SpecialToken", SpecialTokens.END_OF_TEXT, 0));
        single.add(templatePiece("Sequence", "A", 0));
        JsonArray pair = single.deepCopy();
        pair.add(templatePiece("SpecialToken", SpecialTokens.END_OF_TEXT, 1));
        pair.add(templatePiece("Sequence", "B", 1));
        template.add("single", single);
        template.add("pair", pair);
        JsonObject token = new JsonObject();
        token.addProperty("id", SpecialTokens.END_OF_TEXT);
        JsonArray ids = new JsonArray();
        ids.add(SpecialTokens.END_OF_TEXT_ID);
        token.add("ids", ids);
        JsonArray tokens = new JsonArray();
        tokens.add(SpecialTokens.END_OF_TEXT);
        token.add("tokens", tokens);
        JsonObject specialTokens = new JsonObject();
        specialTokens.add(SpecialTokens.END_OF_TEXT, token);
        template.add("special_tokens", specialTokens);
        return template;
    }

    private static JsonObject templatePiece(String kind, String id, int typeId) {
        JsonObject body = new JsonObject();
        body.addProperty("id", id);
        body.addProperty("type_id", typeId);
        JsonObject piece = new JsonObject();
        piece.add(kind, body);
        return piece;
    }

    private static JsonObject model(ByteLevelBpe bpe) {
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.add("continuing_subword_prefix", JsonNull.INSTANCE);
        model.add("end_of_word_suffix", JsonNull.INSTANCE);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.addProperty("ignore_merges", false);
        JsonObject vocab = new JsonObject();
        for (int id = 0; id < bpe.vocabSize(); id++) {
            vocab.addProperty(bpe.vocabulary().get(id), id);
        }
        model.add("vocab", vocab);
        // "left right": byte-level pieces never hold a space (it is written Ġ), and every HF version reads this form
        JsonArray merges = new JsonArray();
        bpe.merges().forEach(merge -> merges.add(merge.left() + " " + merge.right()));
        model.add("merges", merges);
        return model;
    }

    private static JsonObject tokenizerConfig() {
        JsonObject config = new JsonObject();
        config.addProperty("tokenizer_class", "PreTrainedTokenizerFast");
        config.addProperty("bos_token", SpecialTokens.END_OF_TEXT);
        config.addProperty("eos_token", SpecialTokens.END_OF_TEXT);
        config.addProperty("add_prefix_space", false);
        // transformers would otherwise "clean up" spaces before punctuation when decoding
        config.addProperty("clean_up_tokenization_spaces", false);
        JsonObject decoder = new JsonObject();
        JsonObject token = addedToken();
        token.remove("id");
        decoder.add(String.valueOf(SpecialTokens.END_OF_TEXT_ID), token);
        config.add("added_tokens_decoder", decoder);
        return config;
    }
}
