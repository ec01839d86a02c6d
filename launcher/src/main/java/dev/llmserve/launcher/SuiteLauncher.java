package dev.llmserve.launcher;

import java.util.Arrays;

/**
 * {@code ./llmserve up}: starts a Kafka broker, then inference-service, batching-service and
 * gateway-service, each as its own process, waits until each is healthy, prints the URL and stops
 * everything (in reverse order) on Ctrl-C or when any of them dies.
 */
public final class SuiteLauncher {

    private SuiteLauncher() {}

    public static void main(String[] args) throws Exception {
        UpOptions options;
        try {
            options = UpOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("llmserve up: " + e.getMessage());
            System.exit(2);
            return;
        }
        Suite suite = new Suite(options);
        Runtime.getRuntime().addShutdownHook(new Thread(suite::close));
        try {
            suite.start(System.out);
        } catch (IllegalStateException e) {
            System.err.println("llmserve up: " + e.getMessage());
            System.exit(1);
        }
        System.out.println(suite.readyMessage());
        System.out.flush();
        while (true) {
            String dead = suite.firstDead();
            if (dead != null) {
                System.err.println("llmserve up: " + dead + " stopped unexpectedly; last lines of its log:");
                System.err.println(Suite.tail(suite.logOf(dead)));
                System.exit(1);
            }
            Thread.sleep(500);
        }
    }
}
