package dev.llmserve.engine.output;

/** The text one generated token adds to a sequence's output, and the finish reason if it ended it. */
public record OutputDelta(String textDelta, FinishReason finished) {

    public boolean isFinished() {
        return finished != null;
    }
}
