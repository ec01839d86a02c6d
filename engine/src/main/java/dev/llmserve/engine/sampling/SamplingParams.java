package dev.llmserve.engine.sampling;

import java.util.Map;

/**
 * How one request turns logits into its next token, with the meanings vLLM and OpenAI give these
 * names. {@code temperature == 0} means greedy. {@code topK <= 0} and {@code topP >= 1} and
 * {@code minP <= 0} disable those filters; penalties of 1 (repetition) and 0 (presence, frequency)
 * disable them. The seed is not a parameter: the draw for a token depends on (seed, output index),
 * which {@link SamplingRow} carries beside these parameters.
 * {@code logprobs} is the number of top alternatives to report (0: only the chosen token's
 * logprob, -1: none).
 */
public record SamplingParams(
        float temperature,
        int topK,
        float topP,
        float minP,
        float repetitionPenalty,
        float presencePenalty,
        float frequencyPenalty,
        Map<Integer, Float> logitBias,
        int logprobs) {

    public static final SamplingParams GREEDY = new SamplingParams(0f, 0, 1f, 0f, 1f, 0f, 0f, Map.of(), -1);

    public SamplingParams {
        if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0f && topP <= 1f)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0f && minP <= 1f)) {
            throw new IllegalArgumentException("min_p must be in [0, 1], got " + minP);
        }
        if (!(repetitionPenalty > 0f) || Float.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetition_penalty must be > 0, got " + repetitionPenalty);
        }
        if (!(presencePenalty >= -2f && presencePenalty <= 2f)) {
            throw new IllegalArgumentException("presence_penalty must be in [-2, 2], got " + presencePenalty);
        }
        if (!(frequencyPenalty >= -2f && frequencyPenalty <= 2f)) {
            throw new IllegalArgumentException("frequency_penalty must be in [-2, 2], got " + frequencyPenalty);
        }
        if (logprobs < -1 || logprobs > 20) {
            throw new IllegalArgumentException("logprobs must be in [0, 20], got " + logprobs);
        }
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
    }

    public boolean greedy() {
        return temperature == 0f;
    }

    public boolean usesPenalties() {
        return repetitionPenalty != 1f || presencePenalty != 0f || frequencyPenalty != 0f;
    }

    /** Plain sampling at a temperature with top-k / top-p / min-p, nothing else. */
    public static SamplingParams of(float temperature, int topK, float topP, float minP) {
        return new SamplingParams(temperature, topK, topP, minP, 1f, 0f, 0f, Map.of(), -1);
    }
}
