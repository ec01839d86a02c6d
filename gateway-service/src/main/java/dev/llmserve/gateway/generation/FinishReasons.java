package dev.llmserve.gateway.generation;

import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.protocol.kafka.TokenEvent;

/** What a request's last event means for the client. */
public final class FinishReasons {

    private FinishReasons() {}

    /**
     * The OpenAI finish_reason ("stop" or "length") of a finished request; a request that ended in
     * an error or was cancelled downstream becomes a server error.
     */
    public static String of(TokenEvent last) {
        return switch (last.finishReason()) {
            case "stop", "length" -> last.finishReason();
            case "error" -> throw OpenAiException.serverError("Generation failed: "
                    + (last.error() != null ? last.error() : "unknown error"));
            case "cancelled" -> throw OpenAiException.unavailable("The request was cancelled by the server");
            default -> throw OpenAiException.serverError("Unknown finish reason '" + last.finishReason() + "'");
        };
    }
}
