package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.timeline.CaseState;

/**
 * The duty officer's UI on two real nodes (cert-a, cert-b) in headless Chromium: what the desk highlights, a request
 * typed into the form arriving at the peer and acknowledged there, a proposed channel signed with one button, and the
 * guards (Basic challenge, CSRF token, escaping, HTML error pages).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiTest {
    @TempDir static Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;
    Browser browser;

    @BeforeAll
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        a.node().channelActions().propose(charter("ui", "A-B duty line"));
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().charter("ui").isPresent()));
        b.node().channelActions().sign("ui", (charter("ui", "A-B duty line")).hash());
        assertTrue(TestNodes.eventually(15, () -> a.node().charters().active("ui") && b.node().charters().active("ui")));
        browser = Browser.start(tmp.resolve("chrome"));
        // the duty officer signs in to each node; each node's session cookie carries its later requests
        browser.signIn(a.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
        browser.signIn(b.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    Charter charter(String id, String title) {
        Map<Priority, Charter.Deadlines> d = new EnumMap<>(Priority.class);
        d.put(Priority.FLASH, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
        d.put(Priority.URGENT, new Charter.Deadlines(Duration.ofHours(2), Duration.ofHours(24)));
        d.put(Priority.ROUTINE, new Charter.Deadlines(Duration.ofHours(24), Duration.ofDays(5)));
        List<Charter.Member> members = new ArrayList<>();
        for (NodeServer n : List.of(a, b)) members.add(new Charter.Member(n.node().origin(), n.node().key().verifierKey(), n.baseUrl()));
        return new Charter(id, title, Level.OPERATIONAL, members, d, Tlp.AMBER,
                List.of(new Charter.Rung(Duration.ZERO, "CERT duty officer", null), new Charter.Rung(Duration.ofMinutes(30), "head of CERT", "+000 555 0100")));
    }

    String openRequest(NodeServer from, Priority priority, String summary) {
        return from.cases().open("ui", Kind.REQUEST, priority, Tlp.AMBER, Json.object().put("type", "trace").put("summary", summary)
                .put("asked", "Identify the operator of 203.0.113.66")).caseId();
    }

    String page(NodeServer n, String path) {
        browser.open(n.baseUrl() + path);
        return browser.text();
    }

    WebElement caseRow(String caseId) {
        return browser.find(By.cssSelector("a[href^='/cases/" + caseId + "?channel=']")).findElement(By.xpath("ancestor::tr"));
    }

    @Test
    void dashboardShowsTheNodeAndHighlightsAnOverdueCaseInRed() throws Exception {
        String late = openRequest(a, Priority.FLASH, "Wiper C2 in your AS, please trace");
        String calm = openRequest(a, Priority.ROUTINE, "Routine: confirm the new contact list");
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(late).isPresent() && b.cases().timeline(calm).isPresent()));
        clock.advance(Duration.ofMinutes(20)); // past the 15-minute acknowledgement time of a flash request

        String desk = page(b, "/");
        assertTrue(desk.contains("cert-b.example") && desk.contains(b.node().key().verifierKey().fingerprint()), "identity and fingerprint");
        WebElement row = caseRow(late);
        assertTrue(row.getAttribute("class").contains("row-overdue"), row.getAttribute("class"));
        assertTrue(row.getText().toLowerCase().contains("overdue by 5m"), row.getText());
        assertTrue(row.findElement(By.cssSelector(".dl-overdue .dl-status")).getText().equalsIgnoreCase("overdue"), row.getText());
        assertEquals("rgba(253, 236, 234, 1)", row.findElement(By.tagName("td")).getCssValue("background-color"), "the stylesheet paints it red");
        assertTrue(row.getText().contains(a.node().key().verifierKey().fingerprint()), "the opener is shown with its fingerprint");
        WebElement other = caseRow(calm);
        assertFalse(other.getAttribute("class").contains("row-overdue"), other.getAttribute("class"));
        assertTrue(other.getText().toLowerCase().contains("pending"), other.getText());
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("table.cases tbody tr"));
        assertTrue(rows.indexOf(row) < rows.indexOf(other), "the overdue case comes first");
        // the peer line, the channel and the log are there too
        assertTrue(desk.contains("A-B duty line") && desk.contains("Transparency log"), desk);
        assertTrue(browser.refreshUntil(10, () -> browser.find(By.cssSelector(".line")).getText().equalsIgnoreCase("up")),
                "the line to cert-a is up: " + browser.text());
    }

    @Test
    void requestOpenedThroughTheFormArrivesAtThePeerWhichAcknowledgesIt() throws Exception {
        page(a, "/channels/ui");
        browser.follow(By.linkText("New case…"));
        assertEquals("/channels/ui/cases/new", browser.path());
        List<String> tlps = new Select(browser.find(By.id("tlp"))).getOptions().stream().map(WebElement::getText).toList();
        assertEquals(List.of("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER"), tlps, "only labels within the channel's ceiling");
        new Select(browser.find(By.id("priority"))).selectByValue("urgent");
        new Select(browser.find(By.id("tlp"))).selectByValue("amber");
        new Select(browser.find(By.id("type"))).selectByValue("mitigation");
        String summary = "Phishing kit imitating our tax portal <b>now</b>";
        browser.find(By.id("summary")).sendKeys(summary);
        browser.find(By.id("asked")).sendKeys("Suspend hosting of the kit at 198.51.100.23 and preserve its logs");
        browser.find(By.id("sectors")).sendKeys("government, finance");
        browser.find(By.id("legal_basis")).sendKeys("Budapest Convention art. 29");
        browser.find(By.id("text")).sendKeys("Merci de confirmer la réception.");
        assertEquals("en", new Select(browser.find(By.id("lang"))).getFirstSelectedOption().getAttribute("value"), "the reader's language");
        new Select(browser.find(By.id("lang"))).selectByValue("fr");
        browser.find(By.cssSelector("button[type=submit].btn-primary")).click();
        waitFor(() -> browser.path().startsWith("/cases/"));

        Matcher m = Pattern.compile("^/cases/([^/?]+)$").matcher(browser.path());
        assertTrue(m.matches(), browser.driver.getCurrentUrl());
        String id = m.group(1);
        String opened = browser.text();
        assertTrue(opened.contains("Case opened"), opened);
        assertTrue(opened.contains(summary), "shown as text, not markup: " + opened);
        assertTrue(browser.driver.findElements(By.cssSelector("button[formaction$='/ack']")).isEmpty(), "the opener cannot acknowledge");
        assertFalse(browser.driver.findElements(By.cssSelector("button[formaction$='/retract']")).isEmpty(), "the opener can retract");
        var stored = a.cases().timeline(id).orElseThrow();
        assertEquals(Priority.URGENT, stored.priority());
        assertEquals("mitigation", stored.requestType());

        // the peer's duty desk: it arrives, and cert-b owes a response
        browser.open(b.baseUrl() + "/");
        assertTrue(browser.refreshUntil(15, () -> !browser.driver.findElements(By.cssSelector("a[href^='/cases/" + id + "?channel=']")).isEmpty()),
                "the request reached cert-b's dashboard");
        assertTrue(caseRow(id).getText().toLowerCase().contains("your response"), caseRow(id).getText());
        browser.follow(caseRow(id).findElement(By.cssSelector("a[href^='/cases/" + id + "?channel=']")));
        String at = browser.text();
        for (String expected : List.of("Mitigation", "Suspend hosting of the kit at 198.51.100.23", "government, finance", "Budapest Convention art. 29",
                "Merci de confirmer la réception.", "FR · original", a.node().key().verifierKey().fingerprint())) {
            assertTrue(at.contains(expected), expected + " in " + at);
        }
        WebElement tlp = browser.find(By.cssSelector(".case-head .tlp"));
        assertEquals("TLP:AMBER", tlp.getText());
        assertEquals("rgba(255, 192, 0, 1)", tlp.getCssValue("color"), "FIRST amber");
        URI bundleLink = URI.create(browser.find(By.linkText("Download evidence bundle")).getAttribute("href"));
        assertEquals("/cases/" + id + "/bundle", bundleLink.getPath(), "a page of the UI: the API does not take the session");
        var bundle = io.parley.testing.WebSessions.get(b, session(b), bundleLink.getPath() + "?" + bundleLink.getRawQuery());
        assertEquals(200, bundle.statusCode(), bundle.body());
        assertTrue(bundle.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        assertEquals(io.parley.bundle.CaseBundleVerifier.FORMAT, Json.parse(bundle.body()).path("format").asText(), bundle.body());
        assertTrue(b.node().audit().after(0, 10_000).stream().anyMatch(r -> r.action().equals("export") && r.target().contains(id)), "the export is on record");

        browser.find(By.id("text")).sendKeys("On it, hosting provider contacted.");
        browser.find(By.cssSelector("button[formaction$='/ack']")).click();
        waitFor(() -> browser.text().contains("Acknowledgement signed"));
        assertEquals("/cases/" + id, browser.path());
        String acked = browser.text();
        assertTrue(acked.contains("Acknowledgement signed"), acked);
        assertTrue(acked.contains("On it, hosting provider contacted."), acked);
        assertEquals("Send decision", browser.find(By.cssSelector("button[formaction$='/ack']")).getText(),
                "acknowledged once; until it answers, the party may still change its decision");
        assertEquals(CaseState.ACKNOWLEDGED, b.cases().timeline(id).orElseThrow().state());

        // and the opener sees it
        browser.open(a.baseUrl() + "/cases/" + id);
        assertTrue(browser.refreshUntil(15, () -> browser.text().contains("On it, hosting provider contacted.")), "the ack reached cert-a");
        assertEquals("acknowledged", browser.find(By.cssSelector(".case-head .state")).getText().toLowerCase());
    }

    @Test
    void theSignButtonActivatesAProposedChannel() throws Exception {
        Charter proposed = charter("ui-proposed", "Proposed crisis line");
        a.node().channelActions().propose(proposed);
        String hash = proposed.hash();
        assertTrue(TestNodes.eventually(10, () -> b.node().channels().signers("ui-proposed", hash).contains("cert-a.example")),
                "the proposal, which is cert-a's signature, reached cert-b");
        page(b, "/");
        WebElement row = browser.find(By.cssSelector("a[href='/channels/ui-proposed']")).findElement(By.xpath("ancestor::tr"));
        assertTrue(row.getText().contains("Proposed"), row.getText());
        List<String> awaiting = row.findElements(By.cssSelector("li.awaiting")).stream().map(WebElement::getText).toList();
        assertTrue(awaiting.size() == 1 && awaiting.get(0).contains("cert-b.example") && awaiting.get(0).contains(b.node().key().verifierKey().fingerprint()),
                "cert-b's signature is awaited: " + awaiting);
        row.findElement(By.cssSelector("form[action='/channels/ui-proposed/sign'] button")).click();
        waitFor(() -> browser.text().contains("Charter signed"));
        assertEquals("/", browser.path());
        assertTrue(browser.text().contains("Charter signed"), browser.text());
        assertTrue(TestNodes.eventually(15, () -> a.node().charters().active("ui-proposed") && b.node().charters().active("ui-proposed")),
                "b's signature completes the charter on both nodes");
        page(b, "/");
        row = browser.find(By.cssSelector("a[href='/channels/ui-proposed']")).findElement(By.xpath("ancestor::tr"));
        assertTrue(row.getText().contains("Active"), row.getText());
        assertTrue(row.findElements(By.tagName("button")).isEmpty(), "nothing left to sign");
    }

    @Test
    void channelPageShowsTermsMembersAndReportAndSendsALineTest() throws Exception {
        String text = page(a, "/channels/ui");
        for (String expected : List.of("15m", "4h", "5d", "CERT duty officer", "head of CERT", "30m after", "+000 555 0100",
                "Responsiveness, last 30 days", a.node().key().verifierKey().fingerprint(), b.node().key().verifierKey().fingerprint())) {
            assertTrue(text.contains(expected), expected + " in " + text);
        }
        String csv = browser.find(By.linkText("Download CSV")).getAttribute("href");
        assertTrue(csv.endsWith("/channels/ui/report.csv"), csv);
        var report = io.parley.testing.WebSessions.get(a, session(a), "/channels/ui/report.csv");
        assertEquals(200, report.statusCode());
        assertTrue(report.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), report.headers().toString());
        assertTrue(report.body().contains(b.node().origin()), report.body());
        browser.find(By.cssSelector("button[name=mode][value=auto]")).click();
        waitFor(() -> browser.path().startsWith("/cases/"));
        assertTrue(browser.path().startsWith("/cases/"), browser.driver.getCurrentUrl());
        String id = browser.path().substring("/cases/".length());
        assertTrue(browser.text().contains("Line test sent"), browser.text());
        assertTrue(browser.refreshUntil(15, () -> browser.text().contains("Line test reply")), "cert-b's node answered the ping by itself");
        assertEquals(Kind.PING, a.cases().timeline(id).orElseThrow().kind());
    }

    @Test
    void unauthenticatedRequestsAreSentToSignInAndBasicIsNotAccepted() throws Exception {
        for (String path : List.of("/", "/cases/anything", "/channels/ui")) {
            for (String authorization : new String[] {null, TestNodes.basicAuth()}) {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(a.baseUrl() + path)).GET();
                if (authorization != null) req.header("Authorization", authorization);
                var res = TestNodes.send(req.build());
                assertEquals(303, res.statusCode(), path + " with " + authorization);
                String expected = path.equals("/") ? "/login" : "/login?next=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8);
                assertEquals(expected, res.headers().firstValue("Location").orElse(""), "valid Basic credentials do not sign in to the web UI");
                assertTrue(res.headers().firstValue("WWW-Authenticate").isEmpty(), "no Basic challenge: the browser must not offer its Basic prompt");
                assertFalse(res.body().contains("case-") || res.body().contains("A-B duty line"), "nothing of the node's data leaks");
            }
        }
        var post = TestNodes.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/channels/ui/ping")).header("Authorization", TestNodes.basicAuth())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("mode=auto")).build());
        assertEquals(401, post.statusCode());
        assertTrue(post.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(post.body().contains("Sign-in required"), post.body());
    }

    @Test
    void aPostWithoutAValidCsrfTokenIsRefused() throws Exception {
        String id = openRequest(a, Priority.ROUTINE, "CSRF probe");
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));
        for (String form : List.of("text=forged", "text=forged&csrf=", "text=forged&csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")) {
            HttpResponse<String> res = postForm(b, "/cases/" + id + "/ack", form);
            assertEquals(403, res.statusCode(), form);
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(res.body().contains("security token"), res.body());
        }
        assertEquals(403, postForm(b, "/channels/ui/sign", "").statusCode());
        assertEquals(403, postForm(b, "/channels/ui/cases", "kind=notify&summary=forged").statusCode());
        assertEquals(CaseState.OPEN, b.cases().timeline(id).orElseThrow().state(), "nothing was acknowledged");

        // the token of the signed-in user's own page works
        String token = io.parley.testing.WebSessions.csrf(b, session(b), "/cases/" + id);
        HttpResponse<String> ok = postForm(b, "/cases/" + id + "/ack", "csrf=" + token + "&text=genuine");
        assertEquals(303, ok.statusCode(), ok.body());
        assertEquals(CaseState.ACKNOWLEDGED, b.cases().timeline(id).orElseThrow().state());
    }

    @Test
    void errorsAreFriendlyHtmlPagesAndOutputIsEscaped() throws Exception {
        String hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        String id = a.cases().open("ui", Kind.NOTIFY, Priority.ROUTINE, Tlp.GREEN, Json.object().put("summary", hostile).put("text", "\"><b>bold</b>")).caseId();
        var res = io.parley.testing.WebSessions.get(a, session(a), "/cases/" + id);
        assertEquals(200, res.statusCode());
        assertFalse(res.body().contains("<script>alert") || res.body().contains("<img src=x") || res.body().contains("<b>bold"), "escaped");
        assertTrue(res.body().contains("&lt;script&gt;"), res.body());
        assertTrue(res.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        page(a, "/cases/" + id);
        assertTrue(browser.find(By.tagName("h1")).getText().contains(hostile), "shown as the text it is");

        for (String path : List.of("/cases/no-such-case", "/channels/no-such-channel", "/channels/no-such-channel/cases/new")) {
            var missing = io.parley.testing.WebSessions.get(a, session(a), path);
            assertEquals(404, missing.statusCode(), path);
            assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path + ": " + missing.body());
            assertTrue(missing.body().contains("No such"), missing.body());
            assertFalse(missing.body().contains("Exception") || missing.body().contains("at io.parley"), "no trace");
        }
        String finished = page(a, "/cases/" + id);
        assertTrue(finished.contains("Respond"));
        // a refused action is a page with the reason: cert-a opened this case and cannot answer it
        String token = io.parley.testing.WebSessions.csrf(a, session(a), "/cases/" + id);
        HttpResponse<String> refused = postForm(a, "/cases/" + id + "/answer", "csrf=" + token + "&text=self-answer");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("not by its opener"), refused.body());
        HttpResponse<String> empty = postForm(a, "/cases/" + id + "/update", "csrf=" + token + "&text=");
        assertEquals(422, empty.statusCode());
        assertTrue(empty.body().contains("nothing was sent"), empty.body());

        // the form keeps what was typed and names the fault
        page(a, "/channels/ui/cases/new");
        browser.find(By.id("summary")).sendKeys("Request without the ask");
        new Select(browser.find(By.id("type"))).selectByValue("trace");
        browser.find(By.cssSelector("button[type=submit].btn-primary")).click();
        // the click returns before the browser has loaded the answer to the POST
        assertTrue(waitFor(() -> "/channels/ui/cases".equals(browser.path())), browser.path());
        assertTrue(browser.find(By.id("form-error")).getText().contains("what you ask"), browser.text());
        assertEquals("Request without the ask", browser.find(By.id("summary")).getAttribute("value"));
        assertEquals("true", browser.find(By.id("asked")).getAttribute("aria-invalid"));
    }

    /** Waits for the browser to show the answer to a click; reads during the page swap may throw and are retried. */
    static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        return TestNodes.eventually(10, () -> {
            try {
                return condition.getAsBoolean();
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** A session of the duty officer at {@code n}, signed in over HTTP once per node. */
    final Map<NodeServer, String> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    String session(NodeServer n) throws Exception {
        String c = sessions.get(n);
        if (c == null) sessions.put(n, c = io.parley.testing.WebSessions.signIn(n));
        return c;
    }

    HttpResponse<String> postForm(NodeServer n, String path, String form) throws Exception {
        return io.parley.testing.WebSessions.form(n, path, session(n), form);
    }
}
