package dev.llmserve.engine.tokenizer;

import java.util.List;

/**
 * Llama 3 / 3.x Instruct layout. Contents are trimmed as the official template does; its default
 * system prompt (3.1's knowledge-cutoff date) and tool formats are not reproduced.
 */
final class Llama3ChatTemplate implements ChatTemplate {

    private static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
    private static final String END_OF_TURN = "<|eot_id|>";

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder prompt = new StringBuilder(BEGIN_OF_TEXT);
        for (ChatMessage message : messages) {
            header(prompt, message.role()).append(message.content().strip()).append(END_OF_TURN);
        }
        if (addGenerationPrompt) {
            header(prompt, "assistant");
        }
        return prompt.toString();
    }

    private static StringBuilder header(StringBuilder prompt, String role) {
        return prompt.append("<|start_header_id|>").append(role).append("<|end_header_id|>\n\n");
    }

    @Override
    public boolean rendersBos() {
        return true;
    }

    @Override
    public List<String> endOfTurnTokens() {
        return List.of(END_OF_TURN);
    }
}
