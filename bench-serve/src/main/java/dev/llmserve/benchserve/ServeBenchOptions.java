package dev.llmserve.benchserve;

import dev.llmserve.protocol.kafka.Priority;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Options of {@code llmserve bench serve}. With {@code requestRate} unset the load is closed-loop at
 * {@code concurrency}; with it set, requests arrive as a Poisson process at that rate (per second),
 * still capped at {@code concurrency} in flight. {@code compareSpeculative} runs the same load twice,
 * first with every request opted out of speculative decoding, then with the deployment's default.
 * {@code backlog} &gt; 0 first publishes that many requests of {@code backlogOutputLength} tokens at
 * {@code backlogPriority} straight to Kafka at {@code kafka}, and runs the
 * foreground behind them.
 */
record ServeBenchOptions(String url, String model, int concurrency, int requests, int inputLength,
        int outputLength, Double requestRate, String jsonFile, long seed, boolean compareSpeculative,
        int backlog, Priority backlogPriority, int backlogOutputLength, String kafka) {

    private static final Set<String> KNOWN = Set.of("url", "model", "concurrency", "requests", "input-len",
            "output-len", "request-rate", "json", "seed", "speculative", "backlog", "backlog-priority",
            "backlog-output-len", "kafka");

    static ServeBenchOptions parse(List<String> args) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || i + 1 >= args.size() || !KNOWN.contains(arg.substring(2))) {
                throw new IllegalArgumentException("unknown or incomplete option '" + arg + "'");
            }
            v.put(arg.substring(2), args.get(++i));
        }
        int concurrency = positive(v, "concurrency", 8);
        int outputLength = positive(v, "output-len", 128);
        String rate = v.get("request-rate");
        return new ServeBenchOptions(
                v.getOrDefault("url", "http://localhost:8080").replaceAll("/+$", "").replaceAll("/v1$", ""),
                v.get("model"),
                concurrency,
                positive(v, "requests", Math.max(32, concurrency * 4)),
                positive(v, "input-len", 64),
                outputLength,
                rate == null ? null : Double.valueOf(rate),
                v.get("json"),
                Long.parseLong(v.getOrDefault("seed", "0")),
                speculative(v.getOrDefault("speculative", "default")),
                nonNegative(v, "backlog"),
                priority(v.getOrDefault("backlog-priority", Priority.BATCH.wireName())),
                positive(v, "backlog-output-len", outputLength),
                v.getOrDefault("kafka", "localhost:9092"));
    }

    /** Strict, unlike {@link Priority#of}: a misspelt priority is an error here, not an interactive load. */
    private static Priority priority(String value) {
        return Arrays.stream(Priority.values()).filter(p -> p.wireName().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--backlog-priority must be "
                        + Arrays.stream(Priority.values()).map(Priority::wireName).collect(Collectors.joining(" or "))
                        + ", got " + value));
    }

    private static boolean speculative(String value) {
        if (!value.equals("default") && !value.equals("compare")) {
            throw new IllegalArgumentException("--speculative must be default or compare, got " + value);
        }
        return value.equals("compare");
    }

    private static int nonNegative(Map<String, String> v, String name) {
        int value = v.containsKey(name) ? Integer.parseInt(v.get(name)) : 0;
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return value;
    }

    private static int positive(Map<String, String> v, String name, int fallback) {
        int value = v.containsKey(name) ? Integer.parseInt(v.get(name)) : fallback;
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return value;
    }
}
