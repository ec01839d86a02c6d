package dev.llmserve.batching.core;

import java.util.Locale;

/**
 * A request's scheduling class. Interactive requests (API calls) come first; batch requests (Batch
 * API job lines) run only on capacity interactive ones leave, and give way to them first.
 */
public enum Priority {
    INTERACTIVE,
    BATCH;

    /** The request's {@code priority} field; null or anything unknown is interactive, so nothing is demoted by mistake. */
    public static Priority of(String value) {
        return "batch".equals(value) ? BATCH : INTERACTIVE;
    }

    /** The name used in messages and metric tags: {@code interactive}, {@code batch}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
