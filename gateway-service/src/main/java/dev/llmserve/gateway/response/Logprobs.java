package dev.llmserve.gateway.response;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Value conventions shared by both logprobs shapes. */
public final class Logprobs {

    /** What OpenAI reports for a token the sampler could never pick (JSON has no -Infinity). */
    private static final float IMPOSSIBLE = -9999f;

    private Logprobs() {}

    public static float value(float logprob) {
        return Float.isFinite(logprob) ? logprob : IMPOSSIBLE;
    }

    /** The token text's UTF-8 bytes, as OpenAI's {@code bytes} field gives them. */
    public static List<Integer> bytes(String token) {
        byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
        List<Integer> bytes = new ArrayList<>(utf8.length);
        for (byte b : utf8) {
            bytes.add(b & 0xFF);
        }
        return bytes;
    }
}
