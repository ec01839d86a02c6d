package dev.llmserve.engine.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;

/** Prints an engine benchmark as a table and as the JSON the issue tracker and CI read. */
public final class BenchReportWriter {

    private BenchReportWriter() {}

    public static void printTable(EngineBenchmark.Report report, PrintStream out) {
        out.printf("model %s on %s, %s forward, prompt %d tokens, %d decode steps%n", report.model(),
                report.device(), report.forward(), report.promptLength(), report.genLength());
        out.printf("%8s %16s %12s%n", "batch", "decode tok/s", "ms/step");
        for (EngineBenchmark.DecodeResult d : report.decode()) {
            out.printf("%8d %16.0f %12.3f%n", d.batch(), d.tokensPerSecond(), d.stepMillis());
        }
        out.printf("prefill tok/s: %.0f%n", report.prefillTokensPerSecond());
    }

    /** Several reports over the same batch sizes side by side, the first as the baseline of the ratios. */
    public static void printComparison(java.util.List<EngineBenchmark.Report> reports, PrintStream out) {
        EngineBenchmark.Report first = reports.get(0);
        out.printf("model %s on %s, prompt %d tokens, %d decode steps, decode tok/s (ms/step)%n", first.model(),
                first.device(), first.promptLength(), first.genLength());
        out.printf("%8s", "batch");
        for (EngineBenchmark.Report r : reports) {
            out.printf(" %24s", r.forward());
        }
        out.println();
        for (int i = 0; i < first.decode().size(); i++) {
            out.printf("%8d", first.decode().get(i).batch());
            double base = first.decode().get(i).tokensPerSecond();
            for (EngineBenchmark.Report r : reports) {
                EngineBenchmark.DecodeResult d = r.decode().get(i);
                String ratio = r == first ? "" : String.format(" %.2fx", d.tokensPerSecond() / base);
                out.printf(" %24s", String.format("%.0f (%.3f)%s", d.tokensPerSecond(), d.stepMillis(), ratio));
            }
            out.println();
        }
        out.printf("%8s", "prefill");
        for (EngineBenchmark.Report r : reports) {
            out.printf(" %24s", String.format("%.0f tok/s", r.prefillTokensPerSecond()));
        }
        out.println();
    }

    public static String json(EngineBenchmark.Report report) {
        JsonObject root = new JsonObject();
        root.addProperty("model", report.model());
        root.addProperty("device", report.device());
        root.addProperty("forward", report.forward());
        root.addProperty("prompt_len", report.promptLength());
        root.addProperty("gen_len", report.genLength());
        JsonArray decode = new JsonArray();
        for (EngineBenchmark.DecodeResult d : report.decode()) {
            JsonObject o = new JsonObject();
            o.addProperty("batch", d.batch());
            o.addProperty("tokens_per_s", Math.round(d.tokensPerSecond() * 10) / 10.0);
            o.addProperty("ms_per_step", Math.round(d.stepMillis() * 1000) / 1000.0);
            decode.add(o);
        }
        root.add("decode", decode);
        root.addProperty("prefill_tokens_per_s", Math.round(report.prefillTokensPerSecond() * 10) / 10.0);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }

    public static void printSpeculative(SpeculativeBenchmark.Report report, PrintStream out) {
        out.printf("model %s on %s, %s forward, draft %s, gamma %d, prompt %d tokens, %d decode tokens, greedy;"
                + " outputs identical%n", report.model(), report.device(), report.forward(), report.draft(),
                report.gamma(), report.promptLength(), report.genLength());
        out.printf("%8s %14s %14s %10s %12s %14s%n", "batch", "plain tok/s", "spec tok/s", "speed-up", "acceptance",
                "tokens/verify");
        for (SpeculativeBenchmark.Row r : report.rows()) {
            out.printf("%8d %14.0f %14.0f %9.2fx %11.1f%% %14.2f%n", r.batch(), r.plainTokensPerSecond(),
                    r.speculativeTokensPerSecond(), r.speedup(), 100 * r.acceptanceRate(), r.tokensPerVerification());
        }
    }

    public static String json(SpeculativeBenchmark.Report report) {
        JsonObject root = new JsonObject();
        root.addProperty("model", report.model());
        root.addProperty("draft", report.draft());
        root.addProperty("device", report.device());
        root.addProperty("forward", report.forward());
        root.addProperty("gamma", report.gamma());
        root.addProperty("prompt_len", report.promptLength());
        root.addProperty("gen_len", report.genLength());
        root.addProperty("outputs_identical", true);
        JsonArray rows = new JsonArray();
        for (SpeculativeBenchmark.Row r : report.rows()) {
            JsonObject o = new JsonObject();
            o.addProperty("batch", r.batch());
            o.addProperty("plain_tokens_per_s", Math.round(r.plainTokensPerSecond() * 10) / 10.0);
            o.addProperty("speculative_tokens_per_s", Math.round(r.speculativeTokensPerSecond() * 10) / 10.0);
            o.addProperty("speedup", Math.round(r.speedup() * 1000) / 1000.0);
            o.addProperty("acceptance_rate", Math.round(r.acceptanceRate() * 10000) / 10000.0);
            o.addProperty("tokens_per_verify", Math.round(r.tokensPerVerification() * 1000) / 1000.0);
            rows.add(o);
        }
        root.add("decode", rows);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }
}
