package dev.llmserve.gateway.prompt;

import java.util.List;

/**
 * A prompt as token ids, with the stop token ids its rendering implies (a chat template's
 * end-of-turn tokens).
 */
public record EncodedPrompt(List<Integer> tokenIds, List<Integer> stopTokenIds) {

    public EncodedPrompt {
        tokenIds = List.copyOf(tokenIds);
        stopTokenIds = List.copyOf(stopTokenIds);
    }
}
