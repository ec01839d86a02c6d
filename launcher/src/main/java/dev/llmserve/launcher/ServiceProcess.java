package dev.llmserve.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service of the suite as its own OS process, logging to a file, with a readiness check: an
 * HTTP health URL answering {@code "status":"UP"}, or a TCP port accepting connections.
 */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final List<String> command;
    private final Path log;
    private final String healthUrl;
    private final int tcpPort;
    private Process process;

    private ServiceProcess(String name, List<String> command, Path log, String healthUrl, int tcpPort) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.healthUrl = healthUrl;
        this.tcpPort = tcpPort;
    }

    static ServiceProcess withHealthUrl(String name, List<String> command, Path log, String healthUrl) {
        return new ServiceProcess(name, command, log, healthUrl, -1);
    }

    static ServiceProcess withTcpPort(String name, List<String> command, Path log, int port) {
        return new ServiceProcess(name, command, log, null, port);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** scheme://host:port of the health URL. */
    String healthUrlBase() {
        URI uri = URI.create(healthUrl);
        return uri.getScheme() + "://localhost:" + uri.getPort();
    }

    void start() throws IOException {
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Stops the process and starts it again with the same command line; its log goes on where it was. */
    void restart(Duration grace) throws IOException {
        stop(grace);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits until ready; false if the process died or the time ran out. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                return false;
            }
            if (ready()) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private boolean ready() {
        if (healthUrl == null) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", tcpPort), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(healthUrl))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Asks the process to stop (SIGTERM: Spring and Kafka shut down gracefully), then kills it. */
    void stop(Duration grace) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
