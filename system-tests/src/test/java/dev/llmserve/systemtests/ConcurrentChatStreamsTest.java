package dev.llmserve.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 16 concurrent streaming chat requests through the real suite (gateway → Kafka → scheduler →
 * gRPC → draft and target engines) with a KV cache too small to hold them all at once.
 */
class ConcurrentChatStreamsTest {

    private static final String[] SUBJECTS = {"a cat", "a dog", "a big tree", "the sun", "a little girl",
        "a red ball", "the park", "a bird", "a boy named Tim", "the sea", "a small car", "a happy frog",
        "the moon", "a toy", "a kind mom", "a cake"};

    /** Steps with more than one sequence: all steps minus those in the histogram's le=1 bucket. */
    private static double multiSequenceSteps(RunningSuite suite) throws Exception {
        return suite.batchingMetric("llmserve_batch_size_count")
                - suite.batchingMetric("llmserve_batch_size_bucket", "\\{le=\"1\\.0\"}");
    }

    @Test
    void everyStreamMatchesGenerateWhileStepsAreBatchedAndSequencesPreempted() throws Exception {
        RunningSuite suite = RunningSuite.get();
        double preemptionsBefore = suite.batchingMetric("llmserve_preemptions_total");
        double acceptedBefore = suite.batchingMetric("llmserve_spec_accepted_tokens_total");
        double multiSequenceStepsBefore = multiSequenceSteps(suite);
        List<String> prompts = new ArrayList<>();
        for (String subject : SUBJECTS) {
            prompts.add("Tell me a story about " + subject + ".");
        }
        int maxTokens = 120;
        ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
        List<Future<List<JsonObject>>> streams = new ArrayList<>();
        for (String prompt : prompts) {
            streams.add(pool.submit(() -> Sse.readAll(
                    Sse.open(suite.gatewayUrl, Sse.chatBody("brown-6m", prompt, maxTokens, false)))));
        }
        List<List<JsonObject>> results = new ArrayList<>();
        for (Future<List<JsonObject>> f : streams) {
            results.add(f.get());
        }
        pool.shutdown();

        try (ReferenceGenerations reference = new ReferenceGenerations(suite.modelDir)) {
            for (int i = 0; i < prompts.size(); i++) {
                List<JsonObject> chunks = results.get(i);
                assertEquals("assistant", chunks.get(0).getAsJsonArray("choices").get(0).getAsJsonObject()
                        .getAsJsonObject("delta").get("role").getAsString(), "the first chunk carries the role");
                assertEquals(reference.chat(prompts.get(i), maxTokens), Sse.content(chunks),
                        "stream " + i + " differs from ./llmserve generate");
            }
        }
        assertTrue(multiSequenceSteps(suite) > multiSequenceStepsBefore, "no step held more than one sequence");
        assertTrue(suite.batchingMetric("llmserve_spec_accepted_tokens_total") > acceptedBefore,
                "speculative decoding accepted no draft token");
        assertTrue(suite.batchingMetric("llmserve_preemptions_total") > preemptionsBefore,
                "16 requests in a 64-block cache should have preempted some");
    }
}
