package dev.llmserve.batching.core;

/** A request the model cannot serve as asked; it finishes at once with an "error" event. */
public final class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
