package dev.llmserve.gateway.batch.api;

import dev.llmserve.gateway.batch.BatchProperties;
import dev.llmserve.gateway.batch.store.BatchStatus;
import dev.llmserve.gateway.batch.store.BatchStore;
import dev.llmserve.gateway.batch.store.RequestCounts;
import dev.llmserve.gateway.batch.store.StoredBatch;
import dev.llmserve.gateway.batch.store.StoredFile;
import dev.llmserve.gateway.batch.store.StoreWriter;
import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.gateway.generation.GenerationEndpoint;
import dev.llmserve.gateway.request.RequestFields;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * POST /v1/batches: checks the body as OpenAI does (an uploaded batch file, a served endpoint, the
 * 24h window, at most 16 metadata pairs) and stores the new batch as "validating"; the gateway that
 * owns it takes it from there.
 */
@Component
class BatchCreation {

    private static final String WINDOW = "24h";
    private static final int MAX_METADATA = 16;
    private static final int MAX_KEY = 64;
    private static final int MAX_VALUE = 512;

    private final JsonMapper mapper;
    private final BatchStore store;
    private final StoreWriter writer;
    private final List<String> endpoints;
    private final Duration windowLength;

    BatchCreation(JsonMapper mapper, BatchStore store, StoreWriter writer, List<GenerationEndpoint> endpoints,
            BatchProperties properties) {
        this.windowLength = properties.completionWindow();
        this.mapper = mapper;
        this.store = store;
        this.writer = writer;
        this.endpoints = endpoints.stream().map(GenerationEndpoint::path).sorted().toList();
    }

    Mono<StoredBatch> create(byte[] body) {
        store.requireLoaded();
        RequestFields fields = RequestFields.parse(body, mapper);
        String inputFileId = fields.requiredString("input_file_id");
        String endpoint = fields.requiredString("endpoint");
        String window = fields.requiredString("completion_window");
        Map<String, String> metadata = metadata(fields);
        fields.value("output_expires_after").ifPresent(node -> RequestFields.of(node, "output_expires_after"));
        StoredFile input = store.file(inputFileId).orElseThrow(() -> OpenAiException.invalidRequest("input_file_id",
                "No file with id '" + inputFileId + "' exists"));
        if (!input.purpose().equals("batch")) {
            throw OpenAiException.invalidRequest("input_file_id",
                    "The file '" + inputFileId + "' was not uploaded with purpose 'batch'");
        }
        if (!endpoints.contains(endpoint)) {
            throw OpenAiException.invalidRequest("endpoint",
                    "'endpoint' must be one of " + String.join(", ", endpoints) + "; got '" + endpoint + "'");
        }
        if (!window.equals(WINDOW)) {
            throw OpenAiException.invalidRequest("completion_window",
                    "'completion_window' must be '" + WINDOW + "', got '" + window + "'");
        }
        long now = Instant.now().getEpochSecond();
        StoredBatch batch = new StoredBatch(StoredBatch.VERSION, 1, "batch_" + UUID.randomUUID().toString().replace("-", ""),
                endpoint, inputFileId, window, metadata, now, now + windowLength.toSeconds(),
                BatchStatus.VALIDATING.wireName(), Map.of(), RequestCounts.NONE, null, null, List.of());
        return writer.writeBatch(batch);
    }

    private static Map<String, String> metadata(RequestFields fields) {
        JsonNode node = fields.value("metadata").orElse(null);
        if (node == null) {
            return null;
        }
        RequestFields entries = RequestFields.of(node, "metadata");
        if (node.size() > MAX_METADATA) {
            throw OpenAiException.invalidRequest("metadata",
                    "'metadata' takes at most " + MAX_METADATA + " pairs, got " + node.size());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String key : node.propertyNames()) {
            if (key.length() > MAX_KEY) {
                throw OpenAiException.invalidRequest("metadata",
                        "'metadata' keys are at most " + MAX_KEY + " characters, got '" + key + "'");
            }
            String value = entries.requiredString(key);
            if (value.length() > MAX_VALUE) {
                throw OpenAiException.invalidRequest(entries.param(key),
                        "'metadata' values are at most " + MAX_VALUE + " characters");
            }
            metadata.put(key, value);
        }
        return metadata;
    }
}
