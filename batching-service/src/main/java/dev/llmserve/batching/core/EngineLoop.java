package dev.llmserve.batching.core;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the engine: applies queued requests and cancels, runs a step, publishes
 * the step's events (one batch per reply topic), and sleeps on the inbox while there is nothing to
 * do. Publishing hands the events to a sink that must not block, so the loop never waits on Kafka.
 */
public final class EngineLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EngineLoop.class);

    private final Inbox inbox;
    private final ServingEngine engine;
    private final TokenEventSink sink;
    private final Thread thread;
    private volatile boolean stopping;

    public EngineLoop(Inbox inbox, ServingEngine engine, TokenEventSink sink) {
        this.inbox = inbox;
        this.engine = engine;
        this.sink = sink;
        this.thread = new Thread(this::run, "engine-loop");
    }

    public void start() {
        thread.start();
    }

    private void run() {
        engine.reportState();
        while (!stopping) {
            OutboundEvents out = new OutboundEvents();
            try {
                for (Inbox.Command command : inbox.drain(!engine.hasWork())) {
                    apply(command, out);
                }
                if (engine.hasWork()) {
                    engine.step(out);
                }
                engine.reportState();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                log.error("engine loop iteration failed", e);
            }
            out.publishTo(sink);
        }
        OutboundEvents out = new OutboundEvents();
        engine.abortAll("the batching-service is shutting down", out);
        out.publishTo(sink);
    }

    private void apply(Inbox.Command command, OutboundEvents out) {
        if (command instanceof Inbox.Submit submit) {
            engine.submit(submit.request(), submit.arrivalNanos(), out);
        } else if (command instanceof Inbox.Cancel cancel) {
            engine.cancel(cancel.requestId(), out);
        }
    }

    /** Stops after the current step; open requests end with an error event. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        inbox.wakeUp();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        if (thread.isAlive()) {
            log.warn("the engine loop did not stop within 10 s; interrupting it");
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
