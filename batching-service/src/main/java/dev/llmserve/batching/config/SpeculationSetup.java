package dev.llmserve.batching.config;

import dev.llmserve.batching.core.DraftModel;
import dev.llmserve.batching.core.DraftModelDrafter;
import dev.llmserve.batching.core.PromptLookupDrafter;
import dev.llmserve.batching.core.SpeculativeDecoding;

/** Speculative decoding as configured: the drafter, and in mode draft the draft model to check at start-up. */
public final class SpeculationSetup {

    private final SpeculativeSettings settings;
    private final DraftModel draftModel;

    /** @param draftModel required in mode draft, ignored otherwise */
    public SpeculationSetup(SpeculativeSettings settings, DraftModel draftModel) {
        if (settings.mode() == SpeculativeSettings.Mode.DRAFT && draftModel == null) {
            throw new IllegalArgumentException("llmserve.batching.speculative.mode=draft needs a draft model");
        }
        this.settings = settings;
        this.draftModel = settings.mode() == SpeculativeSettings.Mode.DRAFT ? draftModel : null;
    }

    public SpeculativeSettings settings() {
        return settings;
    }

    /** The draft model to wait for and check against the target; null unless mode draft. */
    public DraftModel draftModel() {
        return draftModel;
    }

    /** What the serving engine speculates with; null in mode off. */
    public SpeculativeDecoding decoding() {
        return switch (settings.mode()) {
            case OFF -> null;
            case DRAFT -> new SpeculativeDecoding(new DraftModelDrafter(draftModel), settings.gamma(),
                    settings.adaptive());
            case NGRAM -> new SpeculativeDecoding(new PromptLookupDrafter(settings.ngramMin(), settings.ngramMax()),
                    settings.gamma(), settings.adaptive());
        };
    }
}
