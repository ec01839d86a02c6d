package dev.llmserve.engine.config;

/** A folder that is not a model this engine can run; the message names what is missing or unsupported. */
public class UnsupportedModelException extends RuntimeException {

    public UnsupportedModelException(String message) {
        super(message);
    }

    public UnsupportedModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
