package dev.llmserve.gateway.batch.store;

/** Why a batch failed as a whole (OpenAI's {@code errors.data[]}); {@code line} is 1-based or null. */
public record BatchError(String code, String message, String param, Integer line) {}
