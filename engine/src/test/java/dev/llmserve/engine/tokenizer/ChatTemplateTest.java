package dev.llmserve.engine.tokenizer;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatTemplateTest {

    // Chat templates as published in the models' tokenizer_config.json files.
    private static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
            + "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
            + "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";
    private static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n'"
            + " + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";
    private static final String MISTRAL = "{{ bos_token }}{% for message in messages %}"
            + "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
            + "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}";
    private static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}"
            + "{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}"
            + "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}"
            + "{% for message in loop_messages %}{% if loop.index0 == 0 and system_message != false %}"
            + "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
            + "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
            + "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
            + "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
    private static final String GEMMA = "{{ bos_token }}{% for message in messages %}{{ '<start_of_turn>' + role"
            + " + '\n' + message['content'] | trim + '<end_of_turn>\n' }}{% endfor %}";

    private static final List<ChatMessage> SYSTEM_USER = List.of(
            new ChatMessage("system", "Be brief."), new ChatMessage("user", " Hi there "));
    private static final List<ChatMessage> CONVERSATION = List.of(
            new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi"),
            new ChatMessage("assistant", "Hello!"), new ChatMessage("user", "How are you?"));

    @TempDir
    Path dir;

    private ChatTemplate templateFor(JsonElement chatTemplate, String bos, JsonElement eos) throws IOException {
        JsonObject config = new JsonObject();
        config.add("chat_template", chatTemplate);
        config.addProperty("bos_token", bos);
        config.add("eos_token", eos);
        Files.writeString(dir.resolve("tokenizer_config.json"), new Gson().toJson(config));
        return ChatTemplate.forModel(dir);
    }

    private ChatTemplate templateFor(String chatTemplate, String bos, String eos) throws IOException {
        return templateFor(new JsonPrimitive(chatTemplate), bos, new JsonPrimitive(eos));
    }

    @Test
    void llama3() throws IOException {
        ChatTemplate template = templateFor(LLAMA3, "<|begin_of_text|>", "<|eot_id|>");
        assertInstanceOf(Llama3ChatTemplate.class, template);
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", template.render(SYSTEM_USER, true));
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
                template.render(List.of(new ChatMessage("user", "Hi")), false));
        assertTrue(template.rendersBos());
        assertEquals(List.of("<|eot_id|>"), template.endOfTurnTokens());
    }

    @Test
    void chatMl() throws IOException {
        ChatTemplate template = templateFor(CHATML, null, "<|im_end|>");
        assertInstanceOf(ChatMlTemplate.class, template);
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n Hi there <|im_end|>\n"
                + "<|im_start|>assistant\n", template.render(SYSTEM_USER, true));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n Hi there <|im_end|>\n",
                template.render(SYSTEM_USER, false));
        assertFalse(template.rendersBos());
        assertEquals(List.of("<|im_end|>"), template.endOfTurnTokens());
    }

    @Test
    void namedTemplateListUsesTheDefaultOne() throws IOException {
        JsonArray named = new JsonArray();
        for (String[] entry : new String[][] {{"tool_use", LLAMA3}, {"default", CHATML}}) {
            JsonObject object = new JsonObject();
            object.addProperty("name", entry[0]);
            object.addProperty("template", entry[1]);
            named.add(object);
        }
        assertInstanceOf(ChatMlTemplate.class, templateFor(named, null, new JsonPrimitive("<|im_end|>")));
    }

    @Test
    void mistralFoldsTheSystemPromptIntoTheFirstUserTurn() throws IOException {
        JsonObject eosObject = new JsonObject();
        eosObject.addProperty("__type", "AddedToken");
        eosObject.addProperty("content", "</s>");
        ChatTemplate template = templateFor(new JsonPrimitive(MISTRAL), "<s>", eosObject);
        assertInstanceOf(InstChatTemplate.class, template);
        assertEquals("<s>[INST] Be brief.\n\nHi [/INST]Hello!</s>[INST] How are you? [/INST]",
                template.render(CONVERSATION, true));
        assertTrue(template.rendersBos());
        assertEquals(List.of("</s>"), template.endOfTurnTokens());
        assertThrows(IllegalArgumentException.class,
                () -> template.render(List.of(new ChatMessage("tool", "{}")), true));
    }

    @Test
    void llama2WrapsTheSystemPromptInSysTags() throws IOException {
        ChatTemplate template = templateFor(LLAMA2, "<s>", "</s>");
        assertInstanceOf(InstChatTemplate.class, template);
        assertEquals("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] How are you? [/INST]",
                template.render(CONVERSATION, true));
        assertEquals("<s>[INST] Hi there [/INST]", template.render(SYSTEM_USER.subList(1, 2), true));
        assertTrue(template.rendersBos());
    }

    @Test
    void plainWithoutTokenizerConfig() {
        ChatTemplate template = ChatTemplate.forModel(dir);
        assertInstanceOf(PlainChatTemplate.class, template);
        assertEquals("System: Be brief.\nUser: Hi\nAssistant: Hello!\nUser: How are you?\nAssistant:",
                template.render(CONVERSATION, true));
        assertFalse(template.rendersBos());
        assertEquals(List.of(), template.endOfTurnTokens());
    }

    @Test
    void plainForAnUnrecognisedTemplate() throws IOException {
        assertInstanceOf(PlainChatTemplate.class, templateFor(GEMMA, "<bos>", "<eos>"));
    }

    @Test
    void readsChatTemplateJinjaWhenTheConfigHasNone() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\"}");
        Files.writeString(dir.resolve("chat_template.jinja"), CHATML);
        assertInstanceOf(ChatMlTemplate.class, ChatTemplate.forModel(dir));
    }
}
