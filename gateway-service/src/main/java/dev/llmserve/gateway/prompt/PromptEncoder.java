package dev.llmserve.gateway.prompt;

import dev.llmserve.engine.tokenizer.ChatMessage;
import dev.llmserve.engine.tokenizer.ChatTemplate;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.gateway.model.ServedModel;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.stereotype.Component;

/** Turns chat messages, prompt text or prompt token ids into the token ids the model sees. */
@Component
public class PromptEncoder {

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final ServedModel model;
    private final List<Integer> endOfTurnIds;

    PromptEncoder(TextTokenizer tokenizer, ChatTemplate template, ServedModel model) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.model = model;
        this.endOfTurnIds = template.endOfTurnTokens().stream()
                .map(tokenizer::tokenId)
                .filter(OptionalInt::isPresent)
                .map(OptionalInt::getAsInt)
                .toList();
    }

    /**
     * Renders the messages with the model's chat template. BOS is added the way HF's tokenizer adds
     * special tokens, unless the template writes it itself; the end-of-turn tokens become stop ids.
     */
    public EncodedPrompt chat(List<ChatMessage> messages) {
        String text;
        try {
            text = template.render(messages, true);
        } catch (IllegalArgumentException e) {
            throw OpenAiException.invalidRequest("messages", e.getMessage());
        }
        return new EncodedPrompt(encode(text, !template.rendersBos(), "messages"), endOfTurnIds);
    }

    /** Prompt text, with BOS added as {@code llmserve generate} adds it. */
    public EncodedPrompt text(String prompt) {
        return new EncodedPrompt(encode(prompt, true, "prompt"), List.of());
    }

    /** Prompt token ids, taken as they are once each is known to the vocabulary. */
    public EncodedPrompt tokens(List<Integer> ids) {
        for (int id : ids) {
            if (id < 0 || id >= model.vocabSize()) {
                throw OpenAiException.invalidRequest("prompt",
                        "Token id " + id + " is not in the vocabulary (0.." + (model.vocabSize() - 1) + ")");
            }
        }
        return new EncodedPrompt(ids, List.of());
    }

    private List<Integer> encode(String text, boolean addSpecialTokens, String param) {
        int[] ids = tokenizer.encode(text, addSpecialTokens);
        if (ids.length == 0) {
            throw OpenAiException.invalidRequest(param, "The prompt is empty");
        }
        return Arrays.stream(ids).boxed().toList();
    }
}
