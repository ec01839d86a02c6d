package dev.llmserve.engine.tokenizer;

import java.util.List;
import java.util.Optional;

/**
 * ChatML layout (Qwen and many fine-tunes). Qwen's templates insert a default system message when
 * there is none; that is left to the caller.
 */
final class ChatMlTemplate implements ChatTemplate {

    private static final String END_OF_TURN = "<|im_end|>";

    /** Present when the template writes {@code bos_token} before the first turn. */
    private final Optional<String> bosToken;

    ChatMlTemplate(Optional<String> bosToken) {
        this.bosToken = bosToken;
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder prompt = new StringBuilder(bosToken.orElse(""));
        for (ChatMessage message : messages) {
            prompt.append("<|im_start|>").append(message.role()).append('\n')
                    .append(message.content()).append(END_OF_TURN).append('\n');
        }
        if (addGenerationPrompt) {
            prompt.append("<|im_start|>assistant\n");
        }
        return prompt.toString();
    }

    @Override
    public boolean rendersBos() {
        return bosToken.isPresent();
    }

    @Override
    public List<String> endOfTurnTokens() {
        return List.of(END_OF_TURN);
    }
}
