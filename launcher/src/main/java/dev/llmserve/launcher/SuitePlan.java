package dev.llmserve.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Which processes make up the suite, in start order, and the command line of each. */
final class SuitePlan {

    private static final List<String> DJL_FLAGS = List.of("-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true");

    private final UpOptions o;
    private final Path logs;

    SuitePlan(UpOptions options) {
        this.o = options;
        this.logs = options.stateDir().resolve("logs");
    }

    List<ServiceProcess> services() {
        List<ServiceProcess> services = new ArrayList<>();
        services.add(ServiceProcess.withTcpPort("kafka", java(List.of("-Xmx512m", "-cp",
                jar("kafka-broker") + java.io.File.pathSeparator + o.root().resolve("kafka-broker/target/lib/*"),
                "dev.llmserve.kafka.LocalKafkaBroker", "--port", Integer.toString(o.kafkaPort()),
                "--data-dir", o.stateDir().resolve("kafka").toString())), logs.resolve("kafka.log"),
                o.kafkaPort()));
        List<String> inference = new ArrayList<>(List.of("-jar", jar("inference-service"),
                "--server.port=" + o.inferencePort(),
                "--llmserve.inference.grpc-port=" + o.inferenceGrpcPort(),
                "--llmserve.model.path=" + o.model(),
                "--llmserve.model.device=" + o.device()));
        if (o.kvCacheMemory() != null) {
            inference.add("--llmserve.model.kv-cache-memory=" + o.kvCacheMemory());
        }
        services.add(http("inference-service", java(inference), o.inferencePort()));
        if (o.draft() != null) {
            List<String> draft = new ArrayList<>(List.of("-jar", jar("draft-service"),
                    "--server.port=" + o.draftPort(),
                    "--llmserve.draft.grpc-port=" + o.draftGrpcPort(),
                    "--llmserve.model.path=" + o.draft(),
                    "--llmserve.model.device=" + o.device()));
            if (o.kvCacheMemory() != null) {
                draft.add("--llmserve.model.kv-cache-memory=" + o.kvCacheMemory());
            }
            services.add(http("draft-service", java(draft), o.draftPort()));
        }
        services.add(http("batching-service", java(List.of("-jar", jar("batching-service"),
                "--server.port=" + o.batchingPort(),
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + o.kafkaPort(),
                "--llmserve.model.path=" + o.model(),
                "--llmserve.batching.inference-target=127.0.0.1:" + o.inferenceGrpcPort(),
                "--llmserve.batching.speculative.mode=" + o.speculative(),
                "--llmserve.batching.speculative.draft-target=127.0.0.1:" + o.draftGrpcPort())), o.batchingPort()));
        services.add(http("gateway-service", java(List.of("-jar", jar("gateway-service"),
                "--server.port=" + o.gatewayPort(),
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + o.kafkaPort(),
                "--llmserve.model.path=" + o.model())), o.gatewayPort()));
        return services;
    }

    static String readyMessage(List<ServiceProcess> services) {
        String gateway = gatewayUrl(services);
        return "LLM Serve is up: OpenAI-compatible API at " + gateway + "/v1, chat page at " + gateway
                + "/ — press Ctrl-C to stop";
    }

    private static String gatewayUrl(List<ServiceProcess> services) {
        return services.stream().filter(s -> s.name().equals("gateway-service")).findFirst()
                .map(s -> s.healthUrlBase()).orElseThrow();
    }

    private ServiceProcess http(String name, List<String> command, int port) {
        return ServiceProcess.withHealthUrl(name, command, logs.resolve(name + ".log"),
                "http://127.0.0.1:" + port + "/actuator/health");
    }

    private String jar(String module) {
        return o.root().resolve(module + "/target/" + module + "-0.1.0-SNAPSHOT.jar").toString();
    }

    private static List<String> java(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(DJL_FLAGS);
        command.addAll(args);
        return command;
    }
}
