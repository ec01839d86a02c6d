package dev.llmserve.systemtests;

import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.kvcache.KvCacheSpec;
import dev.llmserve.launcher.Suite;
import dev.llmserve.launcher.UpOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole suite, started once per test JVM exactly as {@code ./llmserve up} starts it: a Kafka
 * broker process, then inference-, draft-, batching- and gateway-service processes on free ports.
 * It serves the committed default pair, models/brown-6m drafted by models/brown-6m-draft, so every request
 * runs speculative decoding (a lossless change: the tests still expect exactly the plain greedy text). The KV cache is deliberately small (64 blocks
 * of 16 tokens) so that concurrent load forces preemption.
 */
final class RunningSuite {

    static final int KV_BLOCKS = 64;
    private static final Path MODEL = Path.of("..", "models", "brown-6m").toAbsolutePath().normalize();
    private static final Path DRAFT = MODEL.resolveSibling("brown-6m-draft");
    private static RunningSuite instance;

    final Path modelDir;
    final String gatewayUrl;
    final String batchingUrl;
    private final Suite suite;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningSuite(Suite suite, Path modelDir, String gatewayUrl, String batchingUrl) {
        this.suite = suite;
        this.modelDir = modelDir;
        this.gatewayUrl = gatewayUrl;
        this.batchingUrl = batchingUrl;
    }

    static synchronized RunningSuite get() throws Exception {
        if (instance == null) {
            Path root = Path.of("..").toAbsolutePath().normalize();
            int[] ports = freePorts(9);
            List<String> args = new ArrayList<>(List.of(
                    "--root", root.toString(),
                    "--state-dir", Path.of("target/suite").toAbsolutePath().toString(),
                    "--model", MODEL.toString(),
                    "--draft", DRAFT.toString(),
                    "--draft-port", Integer.toString(ports[5]),
                    "--draft-grpc-port", Integer.toString(ports[6]),
                    "--gateway-port", Integer.toString(ports[0]),
                    "--batching-port", Integer.toString(ports[1]),
                    "--inference-port", Integer.toString(ports[2]),
                    "--inference-grpc-port", Integer.toString(ports[3]),
                    "--kafka-port", Integer.toString(ports[4]),
                    "--kv-cache-memory", Long.toString(KV_BLOCKS * 16 * KvCacheSpec.bytesPerToken(ModelConfig.load(MODEL))),
                    "--device", "cpu"));
            deleteRecursively(Path.of("target/suite/kafka"));
            Suite suite = new Suite(UpOptions.parse(args));
            Runtime.getRuntime().addShutdownHook(new Thread(suite::close));
            suite.start(System.out);
            instance = new RunningSuite(suite, MODEL,
                    "http://localhost:" + ports[0], "http://localhost:" + ports[1]);
        }
        return instance;
    }

    /**
     * Stops one service ("gateway-service", "batching-service", "kafka", …) as Ctrl-C would and starts
     * it again on the same ports and data; returns once it is healthy.
     */
    void restart(String service) throws IOException, InterruptedException {
        suite.restart(service);
    }

    /** A gauge or counter from batching-service's /actuator/prometheus (summed over its labels). */
    double batchingMetric(String name) throws IOException, InterruptedException {
        return batchingMetric(name, "(\\{[^}]*})?");
    }

    /** One series, selected by a regular expression over its label set. */
    double batchingMetric(String name, String labelsPattern) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(batchingUrl + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + labelsPattern + " ([0-9.eE+-]+)$").matcher(body);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(m.groupCount()));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("metric " + name + " not exported by batching-service");
        }
        return sum;
    }

    /** Waits until batching-service runs and queues no request (a test's earlier requests are gone). */
    void awaitIdle(long millis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (batchingMetric("llmserve_requests_running") > 0 || batchingMetric("llmserve_requests_waiting") > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("batching-service still has requests after " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
        return ports;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
