package dev.llmserve.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A client that goes away mid-stream: its request leaves the batch and frees its KV blocks. */
class ClientDisconnectTest {

    @Test
    void disconnectFreesTheRequestWithinASecond() throws Exception {
        RunningSuite suite = RunningSuite.get();
        awaitIdle(suite, 30_000);
        double blocksBefore = suite.batchingMetric("llmserve_kv_blocks_used");
        InputStream stream = Sse.open(suite.gatewayUrl, Sse.chatBody("brown-6m", "Tell me a long story.", 450, true));
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        int chunks = 0;
        while (chunks < 3) {
            String line = reader.readLine();
            assertNotNull(line, "the stream ended before 3 chunks");
            assertFalse(line.contains("\"error\""), line);
            if (line.startsWith("data:")) {
                chunks++;
            }
        }
        assertEquals(1.0, suite.batchingMetric("llmserve_requests_running"), "the request is running");
        stream.close();
        long closedAt = System.currentTimeMillis();
        awaitIdle(suite, 1_000);
        assertTrue(System.currentTimeMillis() - closedAt <= 1_000);
        assertEquals(blocksBefore, suite.batchingMetric("llmserve_kv_blocks_used"), "its KV blocks were freed");
    }

    private static void awaitIdle(RunningSuite suite, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (suite.batchingMetric("llmserve_requests_running") > 0
                || suite.batchingMetric("llmserve_requests_waiting") > 0) {
            assertTrue(System.currentTimeMillis() < deadline, "requests still running after " + millis + " ms");
            Thread.sleep(20);
        }
    }
}
