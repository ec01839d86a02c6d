package dev.llmserve.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The chat page is served at {@code /} next to the API, its modules load, and none of them ever
 * turns text into HTML. (Its behaviour in a browser: system-tests' ChatPageBrowserTest.)
 */
@GatewayIntegrationTest
class ChatPageTest extends GatewayTestSupport {

    private static final Pattern MODULE_REFERENCE = Pattern.compile("(?:src=\"|from ')([\\w./-]+\\.js)[\"']");
    private static final Pattern HTML_SINKS = Pattern.compile(
            "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|createContextualFragment|DOMParser|\\beval\\(|new Function");

    @Test
    void servesThePageAtTheRoot() {
        Api.Response page = api().get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(MediaType.TEXT_HTML.isCompatibleWith(page.headers().getContentType())).isTrue();
        assertThat(page.body()).contains("<main id=\"conversation\"", "<script type=\"module\" src=\"chat/main.js\">",
                "Content-Security-Policy");
    }

    /** PageConnectionClose: page files close their connection (a Reactor Netty 1.3.6 keep-alive stall); the API does not. */
    @Test
    void pageFilesCloseTheirConnectionAndTheApiKeepsItOpen() {
        assertThat(api().get("/").headers().getConnection()).containsExactly("close");
        assertThat(api().get("/chat/main.js").headers().getConnection()).containsExactly("close");
        assertThat(api().get("/v1/models").headers().getConnection()).doesNotContain("close");
    }

    @Test
    void everyModuleLoadsAsJavaScriptAndNoneParsesHtml() {
        Set<String> modules = new LinkedHashSet<>();
        Deque<String> toLoad = new ArrayDeque<>(references("/", api().get("/").body()));
        while (!toLoad.isEmpty()) {
            String path = toLoad.pop();
            if (!modules.add(path)) {
                continue;
            }
            Api.Response module = api().get(path);
            assertThat(module.status()).as(path).isEqualTo(200);
            assertThat(module.headers().getContentType().toString()).as(path).contains("javascript");
            assertThat(HTML_SINKS.matcher(module.body()).find()).as(path + " sets no HTML from text").isFalse();
            toLoad.addAll(references(path, module.body()));
        }
        assertThat(modules).contains("/chat/main.js", "/chat/api.js", "/chat/sse.js", "/chat/markdown.js",
                "/chat/conversation.js", "/chat/stats.js", "/chat/settings.js");
    }

    @Test
    void theApiKeepsItsOwnAnswers() {
        assertThat(api().get("/v1/models").json().get("data").get(0).get("id").asString()).isEqualTo(MODEL);
        Api.Response unknown = api().get("/v1/index.html");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").get("type").asString()).isEqualTo("invalid_request_error");
    }

    /** The scripts a page or module loads, as absolute paths. */
    private static Set<String> references(String from, String source) {
        String base = from.substring(0, from.lastIndexOf('/') + 1);
        Set<String> paths = new LinkedHashSet<>();
        Matcher m = MODULE_REFERENCE.matcher(source);
        while (m.find()) {
            String ref = m.group(1);
            paths.add(ref.startsWith("/") ? ref : base + ref.replaceFirst("^\\./", ""));
        }
        return paths;
    }
}
