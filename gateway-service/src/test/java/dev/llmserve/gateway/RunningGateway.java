package dev.llmserve.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole gateway instance in this JVM, started and stopped by the test itself, so that a test can
 * stop one and start another on the same broker (as a restart does) or run two side by side.
 */
final class RunningGateway implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(60);

    private final ConfigurableApplicationContext context;
    private final int port;

    private RunningGateway(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Starts a gateway and waits until it reports healthy (reply topic assigned, batch store loaded). */
    static RunningGateway start(String bootstrapServers, String... properties) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--spring.kafka.consumer.auto-offset-reset=earliest",
                "--llmserve.model.path=" + DefaultModel.DIR,
                "--logging.level.org.apache.kafka=WARN",
                "--logging.level.kafka=WARN",
                "--logging.level.state.change.logger=WARN"));
        for (String property : properties) {
            args.add("--" + property);
        }
        RunningGateway gateway = new RunningGateway(new SpringApplicationBuilder(GatewayApplication.class)
                .run(args.toArray(String[]::new)));
        gateway.awaitHealthy();
        return gateway;
    }

    Api api() {
        return new Api(port);
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (api().get("/actuator/health").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway did not become healthy within " + READY);
            }
            Thread.sleep(100);
        }
    }

    /** A graceful stop, as SIGTERM gives one. */
    @Override
    public void close() {
        context.close();
    }
}
