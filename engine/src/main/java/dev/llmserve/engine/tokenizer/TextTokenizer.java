package dev.llmserve.engine.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A model's Hugging Face tokenizer ({@code tokenizer.json}, run by DJL's native tokenizers library).
 * Truncation and padding are switched off: DJL's default silently truncates at 512 tokens. Whether
 * special tokens (e.g. BOS) are added is chosen per call, as the tokenizer's post-processor defines
 * them. BOS/EOS come from {@code tokenizer_config.json} when it names them.
 */
public final class TextTokenizer implements TokenDecoder, AutoCloseable {

    static final String FILE_NAME = "tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;
    private final Vocabulary vocabulary;
    private final OptionalInt bosTokenId;
    private final OptionalInt eosTokenId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Vocabulary vocabulary, TokenizerConfigFile config) {
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.bosTokenId = config.bosToken().map(vocabulary::id).orElse(OptionalInt.empty());
        this.eosTokenId = config.eosToken().map(vocabulary::id).orElse(OptionalInt.empty());
    }

    /** Loads {@code modelDir/tokenizer.json}; fails with the missing path named if there is none. */
    public static TextTokenizer load(Path modelDir) {
        Path file = modelDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No " + FILE_NAME + " in model folder " + modelDir.toAbsolutePath()
                    + " (expected " + file.toAbsolutePath() + ")");
        }
        Vocabulary vocabulary = Vocabulary.read(file);
        TokenizerConfigFile config = TokenizerConfigFile.load(modelDir);
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new TextTokenizer(tokenizer, vocabulary, config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load tokenizer " + file, e);
        }
    }

    public int[] encode(String text, boolean addSpecialTokens) {
        long[] ids = tokenizer.encode(text, addSpecialTokens, false).getIds();
        return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), skipSpecialTokens);
    }

    /** Highest token id + 1 (the model's embedding table may be padded beyond it). */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The raw vocabulary piece of an id, e.g. {@code "▁Once"} or {@code "<0xF0>"}. */
    public String tokenText(int id) {
        return vocabulary.piece(id);
    }

    /** The id of a vocabulary piece or added token, e.g. {@code "<|eot_id|>"}. */
    public OptionalInt tokenId(String tokenText) {
        return vocabulary.id(tokenText);
    }

    public OptionalInt bosTokenId() {
        return bosTokenId;
    }

    public OptionalInt eosTokenId() {
        return eosTokenId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
