package dev.llmserve.gateway.completion;

import java.util.List;

/** A text completion's prompt: text to tokenize, or token ids taken as they are. */
sealed interface Prompt {

    record Text(String text) implements Prompt {}

    record Tokens(List<Integer> ids) implements Prompt {

        public Tokens {
            ids = List.copyOf(ids);
        }
    }
}
