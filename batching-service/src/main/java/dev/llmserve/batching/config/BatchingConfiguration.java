package dev.llmserve.batching.config;

import dev.llmserve.batching.core.EngineMetrics;
import dev.llmserve.batching.core.Inbox;
import dev.llmserve.batching.core.ModelTokenizer;
import dev.llmserve.batching.core.TargetModel;
import dev.llmserve.batching.core.TokenEventSink;
import dev.llmserve.batching.grpc.GrpcDraftModel;
import dev.llmserve.batching.grpc.GrpcTargetModel;
import dev.llmserve.batching.kafka.KafkaTokenEventSink;
import dev.llmserve.batching.metrics.MicrometerEngineMetrics;
import dev.llmserve.batching.speculative.DraftModel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;

/** Wires the plain-Java engine to gRPC, Kafka and Micrometer. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BatchingSettings.class, SpeculativeSettings.class, ModelSettings.class})
public class BatchingConfiguration {

    /** Step responses carry logits when a step asks for them, proposals their draft distributions: allow large ones. */
    private static final int MAX_MESSAGE_BYTES = 256 << 20;

    @Bean(destroyMethod = "close")
    ModelTokenizer modelTokenizer(ModelSettings model) {
        return ModelTokenizer.load(model.path());
    }

    @Bean(destroyMethod = "shutdownNow")
    ManagedChannel inferenceChannel(BatchingSettings settings) {
        return ManagedChannelBuilder.forTarget(settings.inferenceTarget())
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    @Bean
    TargetModel targetModel(@Qualifier("inferenceChannel") ManagedChannel inferenceChannel,
            BatchingSettings settings) {
        return new GrpcTargetModel(inferenceChannel, settings.stepTimeout());
    }

    @Bean(destroyMethod = "shutdownNow")
    @ConditionalOnProperty(name = "llmserve.batching.speculative.mode", havingValue = "draft")
    ManagedChannel draftChannel(SpeculativeSettings speculative) {
        return ManagedChannelBuilder.forTarget(speculative.draftTarget())
                .usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "llmserve.batching.speculative.mode", havingValue = "draft")
    DraftModel draftModel(@Qualifier("draftChannel") ManagedChannel draftChannel, BatchingSettings settings) {
        return new GrpcDraftModel(draftChannel, settings.stepTimeout());
    }

    @Bean
    Inbox inbox() {
        return new Inbox();
    }

    @Bean(destroyMethod = "close")
    TokenEventSink tokenEventSink(KafkaTemplate<String, byte[]> kafka) {
        return new KafkaTokenEventSink(kafka);
    }

    @Bean
    EngineMetrics engineMetrics(MeterRegistry registry, BatchingSettings settings) {
        return new MicrometerEngineMetrics(registry, settings.maxNumSeqs());
    }

    @Bean
    EngineStartup engineStartup(TargetModel targetModel, SpeculativeSettings speculative,
            ObjectProvider<DraftModel> draftModel, BatchingSettings settings, ModelTokenizer modelTokenizer,
            Inbox inbox, TokenEventSink tokenEventSink, EngineMetrics engineMetrics,
            KafkaListenerEndpointRegistry listeners, ConfigurableApplicationContext context) {
        return new EngineStartup(targetModel, speculative, draftModel.getIfAvailable(), settings, modelTokenizer,
                inbox, tokenEventSink, engineMetrics, listeners, context);
    }

    @Bean
    InferenceHealthIndicator inferenceHealthIndicator(EngineStartup engineStartup, BatchingSettings settings,
            SpeculativeSettings speculative) {
        return new InferenceHealthIndicator(engineStartup, settings.inferenceTarget(), speculative);
    }
}
