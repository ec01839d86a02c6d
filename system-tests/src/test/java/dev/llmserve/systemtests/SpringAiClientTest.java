package dev.llmserve.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Spring AI 2.0.1's OpenAI chat model, configured only by properties, talks to the gateway. */
@SpringBootTest(classes = SpringAiClientTest.ClientApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SpringAiClientTest {

    private static final String PROMPT = "Tell me a story about a dog.";
    private static RunningSuite suite;

    @SpringBootApplication
    static class ClientApplication {}

    @BeforeAll
    static void startSuite() throws Exception {
        suite = RunningSuite.get();
    }

    @DynamicPropertySource
    static void openAiProperties(DynamicPropertyRegistry registry) {
        // resolved when the context starts, after @BeforeAll started the suite
        registry.add("spring.ai.openai.base-url", () -> suite.gatewayUrl + "/v1");
        registry.add("spring.ai.openai.api-key", () -> "unused");
        registry.add("spring.ai.openai.chat.options.model", () -> "brown-6m");
        registry.add("spring.ai.openai.chat.options.temperature", () -> "0");
        registry.add("spring.ai.openai.chat.options.max-tokens", () -> "40");
    }

    @Autowired
    ChatModel chatModel;

    @Test
    void callAndStreamGiveTheModelsGreedyText() {
        String expected;
        try (ReferenceGenerations reference = new ReferenceGenerations(suite.modelDir)) {
            expected = reference.chat(PROMPT, 40);
        }
        ChatClient client = ChatClient.create(chatModel);
        String called = client.prompt().user(PROMPT).call().content();
        String streamed = String.join("", client.prompt().user(PROMPT).stream().content().collectList().block());
        assertFalse(expected.isEmpty());
        assertEquals(expected, called);
        assertEquals(expected, streamed);
    }
}
