package dev.llmserve.batching.config;

import dev.llmserve.batching.core.BlockManager;
import dev.llmserve.batching.core.EngineLoop;
import dev.llmserve.batching.core.EngineMetrics;
import dev.llmserve.batching.core.Inbox;
import dev.llmserve.batching.core.ModelTokenizer;
import dev.llmserve.batching.core.Scheduler;
import dev.llmserve.batching.core.SequenceFactory;
import dev.llmserve.batching.core.ServingEngine;
import dev.llmserve.batching.core.ShardInfo;
import dev.llmserve.batching.core.TargetModel;
import dev.llmserve.batching.core.TokenEventSink;
import dev.llmserve.batching.kafka.CancelListener;
import dev.llmserve.batching.kafka.RequestListener;
import dev.llmserve.batching.speculative.DraftCompatibility;
import dev.llmserve.batching.speculative.DraftModel;
import dev.llmserve.batching.speculative.Speculator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Brings the engine up once the model shard answers its Info RPC (asked again every second until
 * it does): the block geometry and context length come from there. With a draft model, its Info is
 * awaited too, and a draft that does not fit the target (another tokenizer, vocabulary or block
 * size) stops the service with an error naming both: it could only produce wrong text. Then the
 * engine loop starts, and only then the Kafka listeners, so requests stay in Kafka while nothing
 * could run them.
 */
public final class EngineStartup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EngineStartup.class);
    private static final long RETRY_MILLIS = 1000;

    private final TargetModel target;
    private final SpeculativeSettings speculative;
    private final DraftModel draftModel;
    private final Speculator speculator;
    private final BatchingSettings settings;
    private final ModelTokenizer tokenizer;
    private final Inbox inbox;
    private final TokenEventSink sink;
    private final EngineMetrics metrics;
    private final KafkaListenerEndpointRegistry listeners;
    private final ConfigurableApplicationContext context;
    private volatile ShardInfo shard;
    private volatile String failure;
    private volatile boolean running;
    private Thread startup;
    private EngineLoop loop;

    /** @param draftModel the draft model to wait for and check against the target; null unless mode draft */
    public EngineStartup(TargetModel target, SpeculativeSettings speculative, DraftModel draftModel,
            BatchingSettings settings, ModelTokenizer tokenizer, Inbox inbox, TokenEventSink sink,
            EngineMetrics metrics, KafkaListenerEndpointRegistry listeners, ConfigurableApplicationContext context) {
        this.target = target;
        this.speculative = speculative;
        this.draftModel = draftModel;
        this.speculator = speculative.speculator(draftModel, metrics);
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.inbox = inbox;
        this.sink = sink;
        this.metrics = metrics;
        this.listeners = listeners;
        this.context = context;
    }

    /** The shard's answer (with the KV blocks the engine uses), once the engine runs. */
    public Optional<ShardInfo> shard() {
        return Optional.ofNullable(shard);
    }

    /** Why the service refused to start, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void start() {
        running = true;
        startup = new Thread(this::connectAndStart, "engine-startup");
        startup.start();
    }

    private void connectAndStart() {
        ShardInfo info = await("model shard", settings.inferenceTarget(), target::info);
        if (info == null) {
            return;
        }
        log.info("model shard at {}: {} on {}, context {}, {} KV blocks of {} tokens", settings.inferenceTarget(),
                info.modelName(), info.device(), info.contextLength(), info.numBlocks(), info.blockSize());
        if (draftModel != null) {
            String target = speculative.draftTarget();
            ShardInfo draft = await("draft shard", target, draftModel::info);
            if (draft == null) {
                return;
            }
            try {
                info = DraftCompatibility.check(info, draft);
            } catch (IllegalStateException e) {
                refuseToStart(e.getMessage());
                return;
            }
            log.info("draft shard at {}: {} on {}, {} KV blocks; the block manager uses {}", target,
                    draft.modelName(), draft.device(), draft.numBlocks(), info.numBlocks());
        }
        log.info("speculative decoding: {}", speculative.mode());
        Scheduler scheduler = new Scheduler(new BlockManager(info.numBlocks(), info.blockSize()),
                settings.maxNumSeqs(), settings.maxNumBatchedTokens(), settings.maxBatchPrefillTokens(), speculator);
        SequenceFactory sequences = new SequenceFactory(tokenizer.tokenizer(), tokenizer.eosTokenIds(), info);
        loop = new EngineLoop(inbox, new ServingEngine(scheduler, target, sequences, tokenizer::piece, metrics),
                sink);
        loop.start();
        listeners.getListenerContainer(RequestListener.ID).start();
        listeners.getListenerContainer(CancelListener.ID).start();
        shard = info;
    }

    private ShardInfo await(String what, String target, Supplier<ShardInfo> info) {
        for (int attempt = 1; running; attempt++) {
            try {
                return info.get();
            } catch (RuntimeException e) {
                if (attempt == 1 || attempt % 30 == 0) {
                    log.info("waiting for the {} at {} ({})", what, target, e.getMessage());
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    /** Closes the application and exits with status 1: a service that cannot serve correctly must not look up. */
    private void refuseToStart(String reason) {
        failure = reason;
        log.error("batching-service refuses to start: {}", reason);
        System.exit(SpringApplication.exit(context, () -> 1));
    }

    @Override
    public void stop() {
        running = false;
        try {
            if (Thread.currentThread() != startup) { // the start-up thread itself stops the service when it refuses
                startup.interrupt();
                startup.join(TimeUnit.SECONDS.toMillis(10));
            }
            listeners.getListenerContainer(RequestListener.ID).stop();
            listeners.getListenerContainer(CancelListener.ID).stop();
            if (loop != null) {
                loop.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
