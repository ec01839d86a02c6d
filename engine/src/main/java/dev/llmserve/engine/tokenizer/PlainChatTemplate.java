package dev.llmserve.engine.tokenizer;

import java.util.List;

/**
 * The layout for models without a (recognised) chat template: one line per message,
 * {@code "System: …\nUser: …\nAssistant: …\n"} (the role capitalised), and {@code "Assistant:"} as the
 * generation prompt. No special tokens are written, so the tokenizer adds BOS as usual.
 */
final class PlainChatTemplate implements ChatTemplate {

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder prompt = new StringBuilder();
        for (ChatMessage message : messages) {
            prompt.append(label(message.role())).append(": ").append(message.content()).append('\n');
        }
        if (addGenerationPrompt) {
            prompt.append("Assistant:");
        }
        return prompt.toString();
    }

    private static String label(String role) {
        return role.isEmpty() ? role : Character.toUpperCase(role.charAt(0)) + role.substring(1);
    }

    @Override
    public boolean rendersBos() {
        return false;
    }

    @Override
    public List<String> endOfTurnTokens() {
        return List.of();
    }
}
