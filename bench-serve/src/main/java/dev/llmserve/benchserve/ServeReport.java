package dev.llmserve.benchserve;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Aggregates request timings into vLLM-style serving metrics, printed as a table and as JSON. */
final class ServeReport {

    /** Mean, median and 99th percentile of one metric, in milliseconds. */
    record Stat(double mean, double p50, double p99) {
        static Stat of(List<Double> seconds) {
            if (seconds.isEmpty()) {
                return new Stat(0, 0, 0);
            }
            double[] ms = seconds.stream().mapToDouble(s -> s * 1000).sorted().toArray();
            return new Stat(Arrays.stream(ms).average().orElse(0), percentile(ms, 50), percentile(ms, 99));
        }

        private static double percentile(double[] sorted, double p) {
            double rank = p / 100 * (sorted.length - 1);
            int lo = (int) Math.floor(rank);
            int hi = (int) Math.ceil(rank);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
        }
    }

    private final ServeBenchOptions options;
    private final int completed;
    private final int failed;
    private final double duration;
    private final int outputTokens;
    private final Stat ttft;
    private final Stat tpot;
    private final Stat itl;
    private final Stat e2e;
    private final BacklogLoad.Summary backlog;

    /** @param backlog what the background load did meanwhile; null without one */
    ServeReport(ServeBenchOptions options, List<RequestTiming> timings, double duration, BacklogLoad.Summary backlog) {
        this.options = options;
        this.backlog = backlog;
        this.duration = duration;
        List<Double> ttfts = new ArrayList<>();
        List<Double> tpots = new ArrayList<>();
        List<Double> itls = new ArrayList<>();
        List<Double> latencies = new ArrayList<>();
        int ok = 0;
        int tokens = 0;
        for (RequestTiming t : timings) {
            if (!t.ok()) {
                continue;
            }
            ok++;
            tokens += t.outputTokens();
            ttfts.add(t.ttft());
            latencies.add(t.latency());
            if (t.outputTokens() > 1) {
                tpots.add(t.tpot());
            }
            for (int i = 1; i < t.chunkTimes().size(); i++) {
                itls.add(t.chunkTimes().get(i) - t.chunkTimes().get(i - 1));
            }
        }
        this.completed = ok;
        this.failed = timings.size() - ok;
        this.outputTokens = tokens;
        this.ttft = Stat.of(ttfts);
        this.tpot = Stat.of(tpots);
        this.itl = Stat.of(itls);
        this.e2e = Stat.of(latencies);
    }

    int failed() {
        return failed;
    }

    double outputTokenThroughput() {
        return outputTokens / duration;
    }

    void printTable(PrintStream out) {
        out.printf("%-32s %s%n", "endpoint", options.url() + "/v1/completions");
        out.printf("%-32s %s%n", "load", options.requestRate() == null
                ? "closed loop, concurrency " + options.concurrency()
                : "Poisson " + options.requestRate() + " req/s, max concurrency " + options.concurrency());
        out.printf("%-32s %d in / %d out tokens%n", "request shape", options.inputLength(), options.outputLength());
        if (backlog != null) {
            out.printf("%-32s %d %s requests (%d in / %d out) via Kafka: %d completed, %d tokens (%.1f tok/s)"
                    + " by the end of the run%s%n", "backlog", backlog.requests(), backlog.priority().wireName(),
                    options.inputLength(), options.backlogOutputLength(), backlog.completed(), backlog.outputTokens(),
                    backlog.outputTokenThroughput(), backlog.completed() < backlog.requests() ? ", the rest cancelled"
                            : "");
        }
        out.printf("%-32s %d (failed %d)%n", "completed requests", completed, failed);
        out.printf("%-32s %.2f%n", "duration (s)", duration);
        out.printf("%-32s %.2f%n", "request throughput (req/s)", completed / duration);
        out.printf("%-32s %.1f%n", "output token throughput (tok/s)", outputTokens / duration);
        out.printf("%-32s %10s %10s %10s%n", "", "mean", "p50", "p99");
        row(out, "TTFT (ms)", ttft);
        row(out, "TPOT (ms)", tpot);
        row(out, "ITL (ms)", itl);
        row(out, "E2E latency (ms)", e2e);
    }

    private static void row(PrintStream out, String name, Stat s) {
        out.printf("%-32s %10.2f %10.2f %10.2f%n", name, s.mean(), s.p50(), s.p99());
    }

    String json() {
        JsonObject o = new JsonObject();
        o.addProperty("url", options.url());
        o.addProperty("concurrency", options.concurrency());
        if (options.requestRate() != null) {
            o.addProperty("request_rate", options.requestRate());
        }
        o.addProperty("input_len", options.inputLength());
        o.addProperty("output_len", options.outputLength());
        o.addProperty("completed", completed);
        o.addProperty("failed", failed);
        o.addProperty("duration_s", duration);
        o.addProperty("request_throughput", completed / duration);
        o.addProperty("output_token_throughput", outputTokens / duration);
        o.add("ttft_ms", stat(ttft));
        o.add("tpot_ms", stat(tpot));
        o.add("itl_ms", stat(itl));
        o.add("e2e_latency_ms", stat(e2e));
        if (backlog != null) {
            JsonObject b = new JsonObject();
            b.addProperty("priority", backlog.priority().wireName());
            b.addProperty("requests", backlog.requests());
            b.addProperty("output_len", options.backlogOutputLength());
            b.addProperty("completed_during_run", backlog.completed());
            b.addProperty("output_tokens_during_run", backlog.outputTokens());
            b.addProperty("output_token_throughput", backlog.outputTokenThroughput());
            o.add("backlog", b);
        }
        return new GsonBuilder().setPrettyPrinting().create().toJson(o);
    }

    private static JsonObject stat(Stat s) {
        JsonObject o = new JsonObject();
        o.addProperty("mean", s.mean());
        o.addProperty("p50", s.p50());
        o.addProperty("p99", s.p99());
        return o;
    }
}
