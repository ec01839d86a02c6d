package dev.llmserve.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./llmserve up}: starts a Kafka broker, then inference-service, batching-service and
 * gateway-service, each as its own process, waits until each is healthy, prints the URL and stops
 * everything (in reverse order) on Ctrl-C or when any of them dies.
 */
public final class SuiteLauncher {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final List<ServiceProcess> started = new ArrayList<>();
    private final PrintStream out;

    private SuiteLauncher(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        UpOptions options;
        try {
            options = UpOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("llmserve up: " + e.getMessage());
            System.exit(2);
            return;
        }
        SuiteLauncher launcher = new SuiteLauncher(System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.stopAll();
            stopped.countDown();
        }));
        int status = launcher.run(new SuitePlan(options).services());
        if (status != 0) {
            System.exit(status);
        }
    }

    private int run(List<ServiceProcess> services) throws IOException, InterruptedException {
        for (ServiceProcess service : services) {
            out.printf("starting %-18s (log: %s)%n", service.name(), service.log());
            service.start();
            started.add(service);
            if (!service.awaitReady(START_TIMEOUT)) {
                System.err.printf("llmserve up: %s did not become healthy; last lines of %s:%n", service.name(),
                        service.log());
                printTail(service.log());
                stopAll();
                return 1;
            }
        }
        out.println(SuitePlan.readyMessage(services));
        out.flush();
        while (true) {
            for (ServiceProcess service : services) {
                if (!service.alive()) {
                    System.err.printf("llmserve up: %s stopped unexpectedly; last lines of %s:%n", service.name(),
                            service.log());
                    printTail(service.log());
                    stopAll();
                    return 1;
                }
            }
            Thread.sleep(500);
        }
    }

    private synchronized void stopAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            ServiceProcess service = started.get(i);
            if (service.alive()) {
                System.err.println("stopping " + service.name());
                service.stop(STOP_GRACE);
            }
        }
        started.clear();
    }

    private static void printTail(Path log) throws IOException {
        if (Files.exists(log)) {
            List<String> lines = Files.readAllLines(log);
            lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
        }
    }
}
