package dev.llmserve.benchserve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServeReportTest {

    @Test
    void percentilesInterpolateLikeNumpy() {
        ServeReport.Stat s = ServeReport.Stat.of(List.of(0.001, 0.002, 0.003, 0.004));
        assertEquals(2.5, s.mean(), 1e-9);
        assertEquals(2.5, s.p50(), 1e-9);
        assertEquals(3.97, s.p99(), 1e-9);
    }

    @Test
    void tpotExcludesTheFirstToken() {
        RequestTiming t = new RequestTiming(true, null, 1.0, List.of(0.1, 0.4, 1.0), 10);
        assertEquals(0.1, t.ttft(), 1e-12);
        assertEquals(0.1, t.tpot(), 1e-12);
    }

    @Test
    void optionsDefaultToClosedLoopAndStripV1() {
        ServeBenchOptions o = ServeBenchOptions.parse(List.of("--url", "http://h:1/v1/", "--concurrency", "4"));
        assertEquals(false, o.compareSpeculative());
        assertEquals("http://h:1", o.url());
        assertEquals(16 * 2, o.requests());
        assertEquals(null, o.requestRate());
    }
}
