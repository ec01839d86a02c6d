package dev.llmserve.engine.tokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Renders chat messages into a model's prompt text. The family is recognised from marker strings in
 * the Jinja {@code chat_template} of {@code tokenizer_config.json} (or {@code chat_template.jinja});
 * the template itself is not executed, so only these families' standard layouts are reproduced:
 * <ul>
 *   <li>Llama 3 ({@code <|start_header_id|>}): {@code <|begin_of_text|>} then
 *       {@code <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>} per turn;</li>
 *   <li>ChatML / Qwen ({@code <|im_start|>}): {@code <|im_start|>role\ncontent<|im_end|>\n} per turn,
 *       ending with {@code <|im_start|>assistant\n};</li>
 *   <li>Mistral / Llama 2 ({@code [INST]}): {@code [INST] user [/INST]} turns with the system prompt
 *       folded into the first user turn ({@code <<SYS>>}-wrapped when the template uses that);</li>
 *   <li>anything else, or no template: the plain layout of {@link PlainChatTemplate}.</li>
 * </ul>
 * Callers encode the rendered text without adding special tokens when {@link #rendersBos()} is true,
 * and add the ids of {@link #endOfTurnTokens()} to the request's stop token ids.
 */
public sealed interface ChatTemplate permits Llama3ChatTemplate, ChatMlTemplate, InstChatTemplate, PlainChatTemplate {

    String render(List<ChatMessage> messages, boolean addGenerationPrompt);

    /** Whether the rendered text starts with the BOS token's text, so BOS must not be added again. */
    boolean rendersBos();

    /** Texts of the special tokens that end an assistant turn, e.g. {@code <|eot_id|>}. */
    List<String> endOfTurnTokens();

    static ChatTemplate forModel(Path modelDir) {
        TokenizerConfigFile config = TokenizerConfigFile.load(modelDir);
        return config.chatTemplate()
                .map(template -> recognise(template, config.bosToken(), config.eosToken()))
                .orElseGet(PlainChatTemplate::new);
    }

    private static ChatTemplate recognise(String template, Optional<String> bosToken, Optional<String> eosToken) {
        if (template.contains("<|start_header_id|>")) {
            return new Llama3ChatTemplate();
        }
        Optional<String> renderedBos = template.contains("bos_token") ? bosToken : Optional.empty();
        if (template.contains("<|im_start|>")) {
            return new ChatMlTemplate(renderedBos);
        }
        if (template.contains("[INST]")) {
            return new InstChatTemplate(renderedBos, eosToken, template.contains("<<SYS>>"));
        }
        return new PlainChatTemplate();
    }
}
