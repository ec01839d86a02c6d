package dev.llmserve.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;

/**
 * Runs a one-node Kafka broker in KRaft mode (broker and controller in one process) from Maven
 * Central's jars: formats the log directory on first use, then starts {@code kafka.Kafka}.
 * Usage: {@code LocalKafkaBroker --port 9092 --controller-port 9093 --data-dir DIR}.
 */
public final class LocalKafkaBroker {

    private LocalKafkaBroker() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(option(args, "--port", "9092"));
        int controllerPort = Integer.parseInt(option(args, "--controller-port", Integer.toString(port + 1)));
        Path dataDir = Path.of(option(args, "--data-dir", ".llmserve/kafka")).toAbsolutePath();
        Path logDir = dataDir.resolve("logs");
        Files.createDirectories(logDir);
        Path properties = dataDir.resolve("server.properties");
        Files.writeString(properties, String.join("\n", List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDir,
                "num.partitions=4",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "message.max.bytes=16777216")) + "\n");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(properties);
        }
        kafka.Kafka.main(new String[] {properties.toString()});
    }

    /** StorageTool ends with Exit.exit; catch that instead of letting it end the process. */
    private static void format(Path properties) {
        Exit.setExitProcedure((code, message) -> {
            if (code != 0) {
                throw new IllegalStateException("formatting the Kafka log directory failed: " + message);
            }
            throw new FormatDone();
        });
        try {
            kafka.tools.StorageTool.main(new String[] {
                "format", "-t", Uuid.randomUuid().toString(),
                "-c", properties.toString()});
        } catch (FormatDone done) {
            // formatted
        } finally {
            Exit.resetExitProcedure();
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static final class FormatDone extends RuntimeException {
        FormatDone() {
            super(null, null, false, false);
        }
    }
}
