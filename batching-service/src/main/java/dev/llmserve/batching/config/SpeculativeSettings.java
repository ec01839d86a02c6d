package dev.llmserve.batching.config;

import dev.llmserve.batching.core.EngineMetrics;
import dev.llmserve.batching.speculative.DraftModel;
import dev.llmserve.batching.speculative.Speculator;
import dev.llmserve.engine.speculative.PromptLookupProposer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code llmserve.batching.speculative.*}: speculative decoding for the requests that do not opt out.
 *
 * @param mode off; draft (a draft model in draft-service); ngram (prompt lookup, no model)
 * @param gamma the most draft tokens a sequence verifies per step (γ)
 * @param adaptive move γ per sequence between 1 and {@code gamma} from its acceptance rate
 * @param draftTarget draft-service's gRPC address, host:port (mode draft)
 * @param ngramMin shortest suffix n-gram prompt lookup matches (mode ngram)
 * @param ngramMax longest suffix n-gram prompt lookup tries first (mode ngram)
 */
@ConfigurationProperties("llmserve.batching.speculative")
public record SpeculativeSettings(
        @DefaultValue("off") Mode mode,
        @DefaultValue("4") int gamma,
        @DefaultValue("true") boolean adaptive,
        @DefaultValue("localhost:9083") String draftTarget,
        @DefaultValue("2") int ngramMin,
        @DefaultValue("4") int ngramMax) {

    public enum Mode { OFF, DRAFT, NGRAM }

    public SpeculativeSettings {
        if (gamma < 1) {
            throw new IllegalArgumentException("llmserve.batching.speculative.gamma must be >= 1, got " + gamma);
        }
        if (ngramMin < 1 || ngramMax < ngramMin) {
            throw new IllegalArgumentException("llmserve.batching.speculative: need 1 <= ngram-min <= ngram-max, got "
                    + ngramMin + " and " + ngramMax);
        }
    }

    /**
     * The speculator these settings describe.
     *
     * @param draftModel required in mode draft, ignored otherwise
     */
    public Speculator speculator(DraftModel draftModel, EngineMetrics metrics) {
        return switch (mode) {
            case OFF -> Speculator.off();
            case DRAFT -> {
                if (draftModel == null) {
                    throw new IllegalArgumentException("llmserve.batching.speculative.mode=draft needs a draft model");
                }
                yield new Speculator(draftModel, gamma, adaptive, metrics);
            }
            case NGRAM -> new Speculator(new PromptLookupProposer(ngramMin, ngramMax), gamma, adaptive, metrics);
        };
    }
}
