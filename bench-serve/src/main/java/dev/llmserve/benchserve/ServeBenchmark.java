package dev.llmserve.benchserve;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code llmserve bench serve}: drives the OpenAI-compatible API the way vLLM's {@code bench serve}
 * does and reports TTFT, TPOT, ITL, request and output-token throughput. Prompts are random token
 * ids below 259, valid in every supported vocabulary. With {@code --backlog N} the foreground runs
 * behind N background requests published to Kafka at a chosen priority ({@link BacklogLoad}).
 */
public final class ServeBenchmark {

    private static final int PROMPT_ID_LIMIT = 259;
    private static final Duration BACKLOG_TIMEOUT = Duration.ofMinutes(2);

    private ServeBenchmark() {}

    public static void main(String[] args) throws Exception {
        ServeBenchOptions options;
        try {
            options = ServeBenchOptions.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("llmserve bench serve: " + e.getMessage());
            System.exit(2);
            return;
        }
        String json;
        int failed;
        if (options.compareSpeculative()) {
            ServeReport plain = run(options, Boolean.FALSE, System.err);
            ServeReport speculative = run(options, null, System.err);
            System.out.println("== without speculative decoding");
            plain.printTable(System.out);
            System.out.println("== with the deployment's speculative decoding");
            speculative.printTable(System.out);
            System.out.printf("speed-up (output token throughput): %.2fx%n",
                    speculative.outputTokenThroughput() / plain.outputTokenThroughput());
            json = "{\"plain\": " + plain.json() + ",\n\"speculative\": " + speculative.json()
                    + ",\n\"speedup\": " + speculative.outputTokenThroughput() / plain.outputTokenThroughput() + "}";
            failed = plain.failed() + speculative.failed();
        } else {
            ServeReport report = run(options, null, System.err);
            report.printTable(System.out);
            json = report.json();
            failed = report.failed();
        }
        if (options.jsonFile() != null) {
            Files.writeString(Path.of(options.jsonFile()), json + "\n");
        } else {
            System.out.println(json);
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    static ServeReport run(ServeBenchOptions options, Boolean speculative, PrintStream progress) throws Exception {
        String model = options.model() != null ? options.model() : firstModel(options.url());
        StreamingClient client = new StreamingClient(options.url());
        SplittableRandom random = new SplittableRandom(options.seed());
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < options.requests(); i++) {
            prompts.add(random.ints(options.inputLength(), 3, PROMPT_ID_LIMIT).toArray());
        }
        // a random stream of its own, so the foreground is the same with or without a backlog
        SplittableRandom backlogRandom = new SplittableRandom(options.seed() + 1);
        List<int[]> backlogPrompts = new ArrayList<>();
        for (int i = 0; i < options.backlog(); i++) {
            backlogPrompts.add(backlogRandom.ints(options.inputLength(), 3, PROMPT_ID_LIMIT).toArray());
        }
        try (BacklogLoad backlog = backlogPrompts.isEmpty() ? null : BacklogLoad.publish(options.kafka(), model,
                backlogPrompts, options.backlogOutputLength(), options.backlogPriority())) {
            if (backlog != null) {
                backlog.awaitServing(BACKLOG_TIMEOUT);
                progress.printf("backlog: %d %s requests published to Kafka at %s, being served%n",
                        options.backlog(), options.backlogPriority().wireName(), options.kafka());
            }
            List<RequestTiming> timings = Collections.synchronizedList(new ArrayList<>());
            double duration = runForeground(options, client, model, prompts, random, speculative, timings, progress);
            BacklogLoad.Summary summary = backlog == null ? null : backlog.stop(BACKLOG_TIMEOUT);
            return new ServeReport(options, timings, duration, summary);
        }
    }

    /** The measured load; returns its duration in seconds. */
    private static double runForeground(ServeBenchOptions options, StreamingClient client, String model,
            List<int[]> prompts, SplittableRandom random, Boolean speculative, List<RequestTiming> timings,
            PrintStream progress) throws Exception {
        RequestProgress bar = new RequestProgress(options.requests(), progress);
        Semaphore slots = new Semaphore(options.concurrency());
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency());
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int[] prompt : prompts) {
            if (options.requestRate() != null) {
                // exponential gaps between arrivals make a Poisson process
                Thread.sleep((long) (-Math.log(1 - random.nextDouble()) / options.requestRate() * 1000));
            }
            slots.acquire();
            futures.add(pool.submit(() -> {
                try {
                    timings.add(client.send(model, prompt, options.outputLength(), speculative));
                } finally {
                    slots.release();
                    bar.update(done.incrementAndGet());
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double duration = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        bar.finish();
        timings.stream().filter(t -> !t.ok()).findFirst()
                .ifPresent(t -> progress.println("first failure: " + t.error()));
        return duration;
    }

    private static String firstModel(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/v1/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /v1/models answered " + response.statusCode());
        }
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("data").get(0)
                .getAsJsonObject().get("id").getAsString();
    }
}
