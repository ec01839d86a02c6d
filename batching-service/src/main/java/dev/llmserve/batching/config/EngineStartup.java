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
import dev.llmserve.batching.core.StepExecutor;
import dev.llmserve.batching.core.TokenEventSink;
import dev.llmserve.batching.kafka.CancelListener;
import dev.llmserve.batching.kafka.RequestListener;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Brings the engine up once the model shard answers its Info RPC (asked again every second until
 * it does): the block geometry and context length come from there. Then the engine loop starts,
 * and only then the Kafka listeners, so requests stay in Kafka while nothing could run them.
 */
public final class EngineStartup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EngineStartup.class);
    private static final long RETRY_MILLIS = 1000;

    private final StepExecutor executor;
    private final BatchingSettings settings;
    private final ModelTokenizer tokenizer;
    private final Inbox inbox;
    private final TokenEventSink sink;
    private final EngineMetrics metrics;
    private final KafkaListenerEndpointRegistry listeners;
    private volatile ShardInfo shard;
    private volatile boolean running;
    private Thread startup;
    private EngineLoop loop;

    public EngineStartup(StepExecutor executor, BatchingSettings settings, ModelTokenizer tokenizer, Inbox inbox,
            TokenEventSink sink, EngineMetrics metrics, KafkaListenerEndpointRegistry listeners) {
        this.executor = executor;
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.inbox = inbox;
        this.sink = sink;
        this.metrics = metrics;
        this.listeners = listeners;
    }

    /** The shard's answer, once it gave one. */
    public Optional<ShardInfo> shard() {
        return Optional.ofNullable(shard);
    }

    @Override
    public void start() {
        running = true;
        startup = new Thread(this::connectAndStart, "engine-startup");
        startup.start();
    }

    private void connectAndStart() {
        ShardInfo info = awaitShard();
        if (info == null) {
            return;
        }
        log.info("model shard at {}: {} on {}, context {}, {} KV blocks of {} tokens", settings.inferenceTarget(),
                info.modelName(), info.device(), info.contextLength(), info.numBlocks(), info.blockSize());
        Scheduler scheduler = new Scheduler(new BlockManager(info.numBlocks(), info.blockSize()),
                settings.maxNumSeqs(), settings.maxNumBatchedTokens());
        SequenceFactory sequences = new SequenceFactory(tokenizer.tokenizer(), tokenizer.eosTokenIds(), info);
        loop = new EngineLoop(inbox, new ServingEngine(scheduler, executor, sequences, tokenizer::piece, metrics), sink);
        loop.start();
        listeners.getListenerContainer(RequestListener.ID).start();
        listeners.getListenerContainer(CancelListener.ID).start();
        shard = info;
    }

    private ShardInfo awaitShard() {
        for (int attempt = 1; running; attempt++) {
            try {
                return executor.info();
            } catch (RuntimeException e) {
                if (attempt == 1 || attempt % 30 == 0) {
                    log.info("waiting for the model shard at {} ({})", settings.inferenceTarget(), e.getMessage());
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

    @Override
    public void stop() {
        running = false;
        try {
            startup.interrupt();
            startup.join(TimeUnit.SECONDS.toMillis(10));
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
