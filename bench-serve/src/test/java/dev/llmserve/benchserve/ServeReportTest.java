package dev.llmserve.benchserve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.llmserve.protocol.kafka.Priority;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServeReportTest {

    @Test
    void percentilesInterpolateLikeNumpy() {
        ServeReport.Stat s = ServeReport.Stat.of(List.of(0.001, 0.002, 0.003, 0.004));
        // double arithmetic below 10 ms, each rounding at most an ulp of 10: the mean rounds 4 conversions to
        // ms, 3 sums and a quotient; a percentile 2 conversions, its rank (2 roundings), the interpolation (3)
        // and, for 3.97, the literal itself
        assertEquals(2.5, s.mean(), 8 * Math.ulp(10.0));
        assertEquals(2.5, s.p50(), 7 * Math.ulp(10.0));
        assertEquals(3.97, s.p99(), 8 * Math.ulp(10.0));
    }

    @Test
    void tpotExcludesTheFirstToken() {
        RequestTiming t = new RequestTiming(true, null, 1.0, List.of(0.1, 0.4, 1.0), 10);
        assertEquals(0.1, t.ttft(), 0); // the first chunk's time itself
        assertEquals(0.1, t.tpot(), 2 * Math.ulp(0.1)); // (1.0 − 0.1) / 9: two roundings
    }

    @Test
    void optionsDefaultToClosedLoopAndStripV1() {
        ServeBenchOptions o = ServeBenchOptions.parse(List.of("--url", "http://h:1/v1/", "--concurrency", "4"));
        assertEquals(false, o.compareSpeculative());
        assertEquals("http://h:1", o.url());
        assertEquals(16 * 2, o.requests());
        assertEquals(null, o.requestRate());
    }

    @Test
    void aBacklogIsBatchPriorityWithTheForegroundsOutputLengthUnlessToldOtherwise() {
        assertEquals(0, ServeBenchOptions.parse(List.of()).backlog());
        ServeBenchOptions o = ServeBenchOptions.parse(List.of("--backlog", "200", "--output-len", "32",
                "--kafka", "h:9"));
        assertEquals(200, o.backlog());
        assertEquals(Priority.BATCH, o.backlogPriority());
        assertEquals(32, o.backlogOutputLength());
        assertEquals("h:9", o.kafka());
        assertEquals(Priority.INTERACTIVE, ServeBenchOptions.parse(List.of("--backlog", "5", "--backlog-priority",
                "interactive", "--backlog-output-len", "300")).backlogPriority());
        assertThrows(IllegalArgumentException.class,
                () -> ServeBenchOptions.parse(List.of("--backlog-priority", "urgent")));
        assertThrows(IllegalArgumentException.class, () -> ServeBenchOptions.parse(List.of("--backlog", "-1")));
    }

    @Test
    void theReportSaysWhatTheBacklogDidMeanwhile() {
        ServeBenchOptions o = ServeBenchOptions.parse(List.of("--backlog", "200", "--backlog-output-len", "256"));
        ServeReport report = new ServeReport(o, List.of(new RequestTiming(true, null, 1.0, List.of(0.2, 1.0), 2)),
                2.0, new BacklogLoad.Summary(Priority.BATCH, 200, 12, 5000, 4.0));
        JsonObject backlog = JsonParser.parseString(report.json()).getAsJsonObject().getAsJsonObject("backlog");
        assertEquals("batch", backlog.get("priority").getAsString());
        assertEquals(256, backlog.get("output_len").getAsInt());
        assertEquals(12, backlog.get("completed_during_run").getAsInt());
        // 5000 / 4.0 is exact, and JSON keeps a double's shortest exact form
        assertEquals(1250.0, backlog.get("output_token_throughput").getAsDouble(), 0);
    }
}
