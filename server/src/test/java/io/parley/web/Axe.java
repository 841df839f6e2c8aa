package io.parley.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * axe-core (the npm package pinned in {@code src/test/axe/package.json}, installed by {@code ./parley test}) run in the
 * page the browser shows: a page passes when axe finds no serious or critical violation. The script goes in through
 * WebDriver, which the page's Content-Security-Policy does not govern, so the policy served to officers stays as strict.
 */
final class Axe {
    private static final Path SCRIPT = Path.of("src/test/axe/node_modules/axe-core/axe.min.js");
    private static String source;

    private Axe() {}

    private static synchronized String source() {
        if (source == null) {
            if (!Files.isRegularFile(SCRIPT)) {
                throw new IllegalStateException("the accessibility checks need axe-core: run ./parley test (or npm install in server/src/test/axe)");
            }
            try {
                source = Files.readString(SCRIPT, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }

    /** The serious and critical violations on the current page, one line each: rule, impact, and the elements. */
    @SuppressWarnings("unchecked")
    static List<String> violations(Browser browser) {
        browser.driver.executeScript(source());
        Object result = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                   .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                           nodes: v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' '))}))))
                   .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));
                """);
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) result) {
            Map<String, Object> v = (Map<String, Object>) o;
            String impact = String.valueOf(v.get("impact"));
            if (!impact.equals("serious") && !impact.equals("critical")) continue;
            out.add(v.get("id") + " (" + impact + "): " + v.get("help") + " at " + v.get("nodes"));
        }
        return out;
    }

    /** Fails the test if the current page has a serious or critical violation, naming the page and each violation. */
    static void check(Browser browser) {
        List<String> v = violations(browser);
        if (!v.isEmpty()) fail("axe-core on " + browser.driver.getCurrentUrl() + ":\n  " + String.join("\n  ", v));
    }
}
