package dev.llmserve.engine.step;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.engine.kvcache.PagedKvCache;
import dev.llmserve.engine.model.LlamaModel;
import dev.llmserve.engine.model.LlamaWeights;
import dev.llmserve.engine.model.StepForward;
import dev.llmserve.engine.model.StepLayout;
import dev.llmserve.engine.model.TorchScriptForward;
import dev.llmserve.engine.sampling.LogitsProcessor;
import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.sampling.Sampler;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.speculative.DraftVerifier;
import dev.llmserve.engine.speculative.RejectionSampler;
import dev.llmserve.engine.weights.WeightStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes steps: one forward pass over a mixed batch of sequences, then batched sampling, draft
 * proposals and speculative verification. Only sampled ids, requested logprobs, requested logits,
 * proposals' distributions and verified tokens leave the device. Not thread-safe: one step at a time.
 */
public final class ModelRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRunner.class);
    /** Default KV budget: this share of free memory, but never more than this many full-length sequences. */
    private static final double DEFAULT_FREE_FRACTION = 0.2;
    private static final int DEFAULT_MAX_FULL_SEQUENCES = 256;

    private final NDManager manager;
    private final Device device;
    private final StepForward model;
    private final PagedKvCache cache;
    private final Sampler sampler;
    private final LogitsProcessor processor;
    private final DraftVerifier verifier;
    private final ForwardPath forwardPath;
    private final StepValidator validator;

    private ModelRunner(NDManager manager, Device device, StepForward model, PagedKvCache cache,
            ForwardPath forwardPath) {
        this.manager = manager;
        this.forwardPath = forwardPath;
        this.device = device;
        this.model = model;
        this.cache = cache;
        this.sampler = new Sampler();
        this.processor = new LogitsProcessor();
        this.verifier = new DraftVerifier(new RejectionSampler());
        this.validator = new StepValidator(model.config().vocabSize(), cache.spec().numBlocks());
    }

    public static ModelRunner load(Path modelDir, RunnerOptions options) {
        ModelConfig config = ModelConfig.load(modelDir);
        WeightStore store = WeightStore.open(modelDir);
        Device device = DeviceSelector.select(options.device());
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager(device);
        StepForward model = null;
        try {
            long started = System.nanoTime();
            LlamaWeights weights = LlamaWeights.load(config, store, manager, device);
            model = options.forward() == ForwardPath.TORCHSCRIPT
                    ? new TorchScriptForward(config, weights, manager) : new LlamaModel(config, weights, manager);
            KvCacheSpec spec = cacheSpec(config, options, device);
            PagedKvCache cache = new PagedKvCache(config, spec, manager);
            log.info("loaded {} ({} layers, hidden {}) on {} in {} ms, {} forward; KV cache {} blocks × {} tokens ({} MiB)",
                    modelDir, config.numLayers(), config.hiddenSize(), device,
                    (System.nanoTime() - started) / 1_000_000, options.forward().label(), spec.numBlocks(),
                    spec.blockSize(), spec.numSlots() * KvCacheSpec.bytesPerToken(config) >> 20);
            return new ModelRunner(manager, device, model, cache, options.forward());
        } catch (RuntimeException e) {
            if (model != null) {
                model.close();
            }
            manager.close();
            throw e;
        }
    }

    private static KvCacheSpec cacheSpec(ModelConfig config, RunnerOptions options, Device device) {
        long free = DeviceSelector.freeBytes(device);
        long bytes;
        if (options.kvCacheMemory() == null) {
            long cap = (long) config.maxPositions() * DEFAULT_MAX_FULL_SEQUENCES * KvCacheSpec.bytesPerToken(config);
            bytes = Math.min((long) (free * DEFAULT_FREE_FRACTION), cap);
        } else {
            bytes = KvCacheSpec.parseMemory(options.kvCacheMemory(), free);
        }
        return KvCacheSpec.fromMemory(config, bytes, options.blockSize());
    }

    public ModelConfig config() {
        return model.config();
    }

    /** The device the model runs on, as DJL names it (cpu(), gpu(0)). */
    public String device() {
        return device.toString();
    }

    /** Which forward pass this runner's steps use. */
    public ForwardPath forwardPath() {
        return forwardPath;
    }

    public KvCacheSpec cacheSpec() {
        return cache.spec();
    }

    /**
     * Runs one forward step over all given sequences and returns one result per sequence, in order.
     * Every output mode shares the one forward pass; sampling, proposals and verifications are then
     * each batched over the rows that asked for them.
     */
    public List<SequenceResult> step(List<SequenceStep> steps) {
        validator.check(steps);
        StepLayout layout = new StepLayout(steps, cache.spec().blockSize(), model.config().maxPositions());
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = model.forward(step, layout, cache);
            LogitRows rows = new LogitRows(steps);
            List<SequenceStep> sampling = rows.steps(OutputMode.SAMPLE, OutputMode.PROPOSE);
            List<SampledToken> sampled = sampling.isEmpty() ? List.of()
                    : sampler.sample(rows.select(logits, OutputMode.SAMPLE, OutputMode.PROPOSE),
                            samplingRows(sampling));
            List<SequenceStep> proposing = rows.steps(OutputMode.PROPOSE);
            float[] proposed = proposing.isEmpty() ? null
                    : processor.probabilities(rows.select(logits, OutputMode.PROPOSE), samplingRows(proposing))
                            .toFloatArray();
            List<SequenceStep> verifying = rows.steps(OutputMode.VERIFY);
            List<int[]> accepted = verifying.isEmpty() ? List.of()
                    : verifier.verify(rows.select(logits, OutputMode.VERIFY), verifying);
            float[] allLogits = rows.steps(OutputMode.ALL_LOGITS).isEmpty() ? null
                    : rows.select(logits, OutputMode.ALL_LOGITS).toFloatArray();
            return results(steps, sampled, proposed, accepted, allLogits);
        }
    }

    private static List<SamplingRow> samplingRows(List<SequenceStep> steps) {
        return steps.stream().map(SequenceStep::sampling).toList();
    }

    private List<SequenceResult> results(List<SequenceStep> steps, List<SampledToken> sampled, float[] proposed,
            List<int[]> accepted, float[] allLogits) {
        int vocab = model.config().vocabSize();
        List<SequenceResult> results = new ArrayList<>(steps.size());
        int sampleIndex = 0;
        int proposeIndex = 0;
        int verifyIndex = 0;
        int logitsRow = 0;
        for (SequenceStep s : steps) {
            long id = s.sequenceId();
            switch (s.output()) {
                case NONE -> results.add(new SequenceResult(id, null, null));
                case SAMPLE -> results.add(new SequenceResult(id, sampled.get(sampleIndex++), null));
                case PROPOSE -> {
                    float[] q = Arrays.copyOfRange(proposed, proposeIndex * vocab, (proposeIndex + 1) * vocab);
                    proposeIndex++;
                    results.add(new SequenceResult(id, sampled.get(sampleIndex++), null, null, q));
                }
                case VERIFY -> results.add(new SequenceResult(id, null, null, accepted.get(verifyIndex++), null));
                case ALL_LOGITS -> {
                    float[][] logits = new float[s.tokens().length][];
                    for (int i = 0; i < logits.length; i++) {
                        logits[i] = Arrays.copyOfRange(allLogits, (logitsRow + i) * vocab, (logitsRow + i + 1) * vocab);
                    }
                    logitsRow += logits.length;
                    results.add(new SequenceResult(id, null, logits));
                }
            }
        }
        return results;
    }

    /** Copies whole KV blocks, in every layer: dst[i] ← src[i]. */
    public void copyBlocks(int[] src, int[] dst) {
        validator.checkBlocks("copy source", src);
        validator.checkBlocks("copy destination", dst);
        try (NDManager step = manager.newSubManager()) {
            cache.copyBlocks(step, src, dst);
        }
    }

    @Override
    public void close() {
        model.close();
        manager.close();
    }
}
