package dev.llmserve.engine.tokenizer;

import java.util.Objects;

/** One chat turn: {@code role} is "system", "user" or "assistant"; a missing content counts as empty. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        content = content == null ? "" : content;
    }
}
