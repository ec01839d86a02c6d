package dev.llmserve.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options of {@code ./llmserve up}; {@code stateDir} holds logs and the broker's data. */
public record UpOptions(
        Path root,
        Path stateDir,
        Path model,
        Path draft,
        String speculative,
        int gatewayPort,
        int batchingPort,
        int inferencePort,
        int inferenceGrpcPort,
        int draftPort,
        int draftGrpcPort,
        int kafkaPort,
        String kvCacheMemory,
        String device) {

    private static final Set<String> KNOWN = Set.of("root", "state-dir", "model", "draft", "speculative", "gateway-port",
            "batching-port", "inference-port", "inference-grpc-port", "draft-port", "draft-grpc-port", "kafka-port",
            "kv-cache-memory", "device");

    public static UpOptions parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || i + 1 >= args.size() || !KNOWN.contains(arg.substring(2))) {
                throw new IllegalArgumentException("unknown or incomplete option '" + arg + "'");
            }
            values.put(arg.substring(2), args.get(++i));
        }
        Path root = Path.of(values.getOrDefault("root", ".")).toAbsolutePath().normalize();
        String model = values.get("model");
        if (model == null) {
            throw new IllegalArgumentException("--model DIR is required (a Hugging Face model folder)");
        }
        Path modelDir = Path.of(model).toAbsolutePath().normalize();
        if (!Files.isRegularFile(modelDir.resolve("config.json"))) {
            throw new IllegalArgumentException(modelDir + " is not a model folder (no config.json)");
        }
        Path state = values.containsKey("state-dir")
                ? Path.of(values.get("state-dir")).toAbsolutePath().normalize() : root.resolve(".llmserve");
        Path draftDir = null;
        if (values.containsKey("draft")) {
            draftDir = Path.of(values.get("draft")).toAbsolutePath().normalize();
            if (!Files.isRegularFile(draftDir.resolve("config.json"))) {
                throw new IllegalArgumentException(draftDir + " is not a model folder (no config.json)");
            }
        }
        // a draft turns speculation on; ngram needs no draft; off keeps a draft-less deployment plain
        String speculative = values.getOrDefault("speculative", draftDir != null ? "draft" : "off");
        if (!Set.of("off", "draft", "ngram").contains(speculative)) {
            throw new IllegalArgumentException("--speculative must be off, draft or ngram, got " + speculative);
        }
        if (speculative.equals("draft") && draftDir == null) {
            throw new IllegalArgumentException("--speculative draft needs --draft DIR");
        }
        return new UpOptions(root, state, modelDir, draftDir, speculative,
                port(values, "gateway-port", 8080), port(values, "batching-port", 8081),
                port(values, "inference-port", 8082), port(values, "inference-grpc-port", 9082),
                port(values, "draft-port", 8083), port(values, "draft-grpc-port", 9083),
                port(values, "kafka-port", 9092), values.get("kv-cache-memory"), values.getOrDefault("device", "auto"));
    }

    private static int port(Map<String, String> values, String name, int fallback) {
        String v = values.get(name);
        try {
            int p = v == null ? fallback : Integer.parseInt(v);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a port number, got '" + v + "'");
        }
    }
}
