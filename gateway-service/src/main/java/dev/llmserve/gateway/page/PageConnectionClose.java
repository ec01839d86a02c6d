package dev.llmserve.gateway.page;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Answers the chat page's own files (everything outside {@code /v1/} and {@code /actuator/}) with
 * {@code Connection: close}; the API keeps its keep-alive connections.
 *
 * <p>Why: Reactor Netty 1.3.6 (Spring Boot 4.0.7's) can stop reading a keep-alive connection when a
 * request arrives before the previous one has terminated and is then answered synchronously, as a
 * static file is (reactor-netty #4347, fixed in 1.3.8, which needs a newer Netty than Boot manages). A
 * browser fetching the page's modules back to back could leave such a connection in its pool, and the
 * chat request it later sent there was never read. Closing after each page file keeps those
 * connections out of the pool. Remove once the managed Reactor Netty is 1.3.8 or later.
 */
@Component
class PageConnectionClose implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/v1/") && !path.startsWith("/actuator/")) {
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        }
        return chain.filter(exchange);
    }
}
