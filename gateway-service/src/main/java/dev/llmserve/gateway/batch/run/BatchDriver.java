package dev.llmserve.gateway.batch.run;

import dev.llmserve.gateway.batch.BatchProperties;
import dev.llmserve.gateway.batch.store.BatchStore;
import dev.llmserve.gateway.batch.store.FileContents;
import dev.llmserve.gateway.batch.store.StoreWriter;
import java.util.Collection;
import java.util.HashSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Drives the batches of the batches-topic partitions this instance owns (Kafka's assignment in the
 * {@code llmserve-gateway-batch-drivers} group, see {@link DriverAssignment}), so that each batch has
 * one driver and a batch whose gateway went away is taken over by another. Once the store is
 * loaded, each tick starts a {@link BatchRun} for every owned batch not yet ended and lets the runs
 * start lines while the gateway-wide window has room, oldest batch first. One thread does all this;
 * it never blocks.
 */
@Component
class BatchDriver implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BatchDriver.class);
    private static final long TICK_MILLIS = 100;

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "batch-driver");
        t.setDaemon(true);
        return t;
    });
    private final Set<Integer> owned = new HashSet<>();
    /** A copy of {@link #owned} for other threads. */
    private volatile Set<Integer> ownedSnapshot = Set.of();
    private final Map<String, BatchRun> runs = new HashMap<>();
    private final BatchStore store;
    private final BatchMetrics metrics;
    private final RunContext context;
    private final int window;
    private volatile boolean running;
    private ScheduledFuture<?> ticking;

    BatchDriver(BatchProperties properties, BatchStore store, StoreWriter writer, FileContents contents,
            InputLines inputs, LineExecutor executor, OutputLines outputs, BatchFinalizer finalizer,
            BatchMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
        this.window = properties.window();
        Scheduler scheduler = Schedulers.fromExecutorService(thread, "batch-driver");
        this.context = new RunContext(properties, store, writer, contents, inputs, executor, outputs, finalizer,
                metrics, scheduler, () -> onThread(this::tick));
    }

    void assigned(Collection<Integer> partitions) {
        onThread(() -> {
            owned.addAll(partitions);
            ownedSnapshot = Set.copyOf(owned);
            log.info("Driving the batches of partitions {}", owned);
        });
    }

    void revoked(Collection<Integer> partitions) {
        onThread(() -> {
            owned.removeAll(partitions);
            ownedSnapshot = Set.copyOf(owned);
            runs.values().removeIf(run -> {
                boolean lost = store.batch(run.id()).map(b -> partitions.contains(b.partition())).orElse(false);
                if (lost) {
                    run.abandon();
                }
                return lost;
            });
        });
    }

    /** The partitions of the batches topic whose batches this instance drives. */
    Set<Integer> ownedPartitions() {
        return ownedSnapshot;
    }

    @Override
    public void start() {
        running = true;
        ticking = thread.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Abandons every run: their in-flight requests are cancelled; whoever drives them next resumes
     * them. The driver can be started again (Spring's test context cache stops and restarts contexts).
     */
    @Override
    public void stop() {
        running = false;
        ticking.cancel(false);
        try {
            thread.submit(() -> {
                runs.values().forEach(BatchRun::abandon);
                runs.clear();
            }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Stopping the batch driver: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        thread.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void tick() {
        if (!running || !store.loaded()) {
            return;
        }
        try {
            for (BatchStore.Located located : store.batches()) {
                String id = located.batch().id();
                if (owned.contains(located.partition()) && !located.batch().batchStatus().terminal()
                        && !runs.containsKey(id)) {
                    runs.put(id, new BatchRun(located.batch(), context));
                }
            }
            List<BatchRun> oldestFirst = runs.values().stream()
                    .sorted(Comparator.comparingLong(BatchRun::createdAt).thenComparing(BatchRun::id)).toList();
            for (BatchRun run : oldestFirst) {
                run.tick(Math.max(0, window - inFlight()));
                if (run.done()) {
                    runs.remove(run.id());
                }
            }
            metrics.state(runs.size(), inFlight());
        } catch (RuntimeException e) {
            log.error("Batch driver tick failed", e);
        }
    }

    /** Runs on the driver's thread; once it has stopped there is nothing left to do. */
    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException stopped) {
            log.debug("The batch driver has stopped");
        }
    }

    private int inFlight() {
        return runs.values().stream().mapToInt(BatchRun::linesInFlight).sum();
    }
}
