package dev.llmserve.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;

/**
 * Counts API responses as {@code llmserve_gateway_requests_total{endpoint,status}}; the endpoint is
 * the route's pattern (e.g. {@code /v1/models/{id}}) so that the label set stays small.
 */
@Component
class RequestMetricsFilter implements WebFilter {

    private static final String API_PREFIX = "/v1/";

    private final MeterRegistry meters;

    RequestMetricsFilter(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith(API_PREFIX)) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange).doFinally(signal -> count(exchange));
    }

    private void count(ServerWebExchange exchange) {
        PathPattern pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        Counter.builder("llmserve.gateway.requests")
                .description("API requests by endpoint and HTTP status")
                .tag("endpoint", pattern != null ? pattern.getPatternString() : "unmatched")
                .tag("status", Integer.toString(status != null ? status.value() : 200))
                .register(meters)
                .increment();
    }
}
