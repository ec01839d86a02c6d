package dev.llmserve.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code [INST] … [/INST]} layouts. Mistral (v0.1 template):
 * {@code <s>[INST] user [/INST]answer</s>[INST] next [/INST]}, system prompt prepended to the first
 * user turn followed by a blank line. Llama 2 (template uses {@code <<SYS>>}):
 * {@code <s>[INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] answer </s><s>[INST] next [/INST]}.
 * The prompt always ends after the last {@code [/INST]}, so there is no separate generation prompt.
 */
final class InstChatTemplate implements ChatTemplate {

    /** Present when the template writes {@code bos_token}. */
    private final Optional<String> bosToken;
    private final Optional<String> eosToken;
    private final boolean llama2;

    InstChatTemplate(Optional<String> bosToken, Optional<String> eosToken, boolean llama2) {
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.llama2 = llama2;
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        String bos = bosToken.orElse("");
        String eos = eosToken.orElse("");
        StringBuilder prompt = new StringBuilder(bos);
        boolean firstUserTurn = true;
        for (ChatMessage message : withSystemFolded(messages)) {
            switch (message.role()) {
                case "user" -> {
                    if (llama2 && !firstUserTurn) {
                        prompt.append(bos);
                    }
                    String content = llama2 ? message.content().strip() : message.content();
                    prompt.append("[INST] ").append(content).append(" [/INST]");
                    firstUserTurn = false;
                }
                case "assistant" -> {
                    if (llama2) {
                        prompt.append(' ').append(message.content().strip()).append(' ').append(eos);
                    } else {
                        prompt.append(message.content()).append(eos);
                    }
                }
                default -> throw new IllegalArgumentException(
                        "[INST] chat templates take system, user and assistant messages, not " + message.role());
            }
        }
        return prompt.toString();
    }

    /** The system messages' text goes in front of the first user turn (or becomes one). */
    private List<ChatMessage> withSystemFolded(List<ChatMessage> messages) {
        List<String> system = new ArrayList<>();
        List<ChatMessage> turns = new ArrayList<>();
        for (ChatMessage message : messages) {
            if (message.role().equals("system")) {
                system.add(message.content());
            } else {
                turns.add(message);
            }
        }
        if (system.isEmpty()) {
            return turns;
        }
        String systemText = String.join("\n\n", system);
        String prefix = llama2 ? "<<SYS>>\n" + systemText + "\n<</SYS>>\n\n" : systemText + "\n\n";
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i).role().equals("user")) {
                turns.set(i, new ChatMessage("user", prefix + turns.get(i).content()));
                return turns;
            }
        }
        turns.add(0, new ChatMessage("user", prefix.strip()));
        return turns;
    }

    @Override
    public boolean rendersBos() {
        return bosToken.isPresent();
    }

    @Override
    public List<String> endOfTurnTokens() {
        return eosToken.map(List::of).orElse(List.of());
    }
}
