package dev.llmserve.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The running suite: starts its processes in order, each only after the previous one is healthy,
 * and stops them in reverse order. Used by {@code ./llmserve up} and by the system tests.
 */
public final class Suite implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final List<ServiceProcess> planned;
    private final List<ServiceProcess> started = new ArrayList<>();

    public Suite(UpOptions options) {
        this.planned = new SuitePlan(options).services();
    }

    /** Starts every process; on failure stops what started and throws with the failing log's tail. */
    public void start(java.io.PrintStream progress) throws IOException, InterruptedException {
        for (ServiceProcess service : planned) {
            progress.printf("starting %-18s (log: %s)%n", service.name(), service.log());
            service.start();
            started.add(service);
            if (!service.awaitReady(START_TIMEOUT)) {
                String tail = tail(service.log());
                close();
                throw new IllegalStateException(service.name() + " did not become healthy; last lines of "
                        + service.log() + ":\n" + tail);
            }
        }
    }

    /**
     * Stops one running service as Ctrl-C would (SIGTERM, then a kill after the grace period), starts
     * it again with the same command line and waits until it is healthy; the others keep running.
     */
    public synchronized void restart(String name) throws IOException, InterruptedException {
        ServiceProcess service = started.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no running service named " + name));
        service.restart(STOP_GRACE);
        if (!service.awaitReady(START_TIMEOUT)) {
            throw new IllegalStateException(name + " did not become healthy again; last lines of " + service.log()
                    + ":\n" + tail(service.log()));
        }
    }

    /** The first process that is no longer running, or null. */
    public String firstDead() {
        return started.stream().filter(s -> !s.alive()).map(ServiceProcess::name).findFirst().orElse(null);
    }

    public Path logOf(String name) {
        return planned.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().log();
    }

    public String readyMessage() {
        return SuitePlan.readyMessage(planned);
    }

    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            ServiceProcess service = started.get(i);
            if (service.alive()) {
                System.err.println("stopping " + service.name());
                service.stop(STOP_GRACE);
            }
        }
        started.clear();
    }

    static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
