package dev.llmserve.batching.core;

import dev.llmserve.protocol.kafka.GenerationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The engine loop's mailbox: the Kafka listener threads only put requests and cancels here, the
 * loop takes them between steps, so the scheduler's state has a single owner.
 */
public final class Inbox {

    /** Something for the loop to apply before its next step. */
    sealed interface Command permits Submit, Cancel, WakeUp {}

    record Submit(GenerationRequest request, long arrivalNanos) implements Command {}

    record Cancel(String requestId) implements Command {}

    /** Nothing to apply: only ends the loop's wait (to stop it). */
    record WakeUp() implements Command {}

    private final BlockingQueue<Command> queue = new LinkedBlockingQueue<>();

    public void submit(GenerationRequest request) {
        queue.add(new Submit(request, System.nanoTime()));
    }

    public void cancel(String requestId) {
        queue.add(new Cancel(requestId));
    }

    void wakeUp() {
        queue.add(new WakeUp());
    }

    /** Everything queued now; when {@code wait} is set and nothing is, waits for the first command. */
    List<Command> drain(boolean wait) throws InterruptedException {
        List<Command> commands = new ArrayList<>();
        if (wait) {
            commands.add(queue.take());
        }
        queue.drainTo(commands);
        return commands;
    }
}
