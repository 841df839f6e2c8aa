package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.auth.Passwords;
import io.parley.auth.Tokens;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;
import io.parley.web.i18n.Texts;

/**
 * The report, peers and admin pages on three real nodes with an injected clock: over two weeks cert-b acknowledges
 * and answers cert-a's requests in time, cert-c late or not at all, and cert-c's node is stopped for an hour (an
 * outage of the line from cert-a). The report's charts are drawn from those figures and its tables match the API's
 * report; /peers shows the outage; the admin hub revokes a token, for admins only and only with the form's token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportPagesTest {
    static final String CHANNEL = "rpt";
    static final Path SHOTS = Path.of("/tmp");
    @TempDir static Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T08:00:00Z"));
    NodeServer a, b, c;
    Browser browser;
    String admin;
    Instant outageFrom, outageTo;

    @BeforeAll
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        c = TestNodes.start(tmp, "cert-c.example", null, clock);
        TestNodes.peerAll(a, b, c);
        TestNodes.establish(TestNodes.charter(CHANNEL, Tlp.AMBER, a, b, c), a, b, c); // 15 min to acknowledge, 4 h to answer

        // week 1: cert-b acknowledges in 10 min and answers in 1 h 20; cert-c acknowledges in 20 min (late) and answers in 5 h 20 (late)
        String r1 = request("Trace the C2 at 203.0.113.66");
        step(Duration.ofMinutes(10));
        ack(b, r1);
        step(Duration.ofMinutes(10));
        ack(c, r1);
        step(Duration.ofHours(1));
        answer(b, r1);
        step(Duration.ofHours(4));
        answer(c, r1);

        // week 2: cert-b acknowledges in 5 min and answers in 2 h 05; cert-c never responds
        step(Duration.ofDays(7).minus(Duration.ofMinutes(320)));
        String r2 = request("Mitigate the phishing kit at 198.51.100.23");
        step(Duration.ofMinutes(5));
        ack(b, r2);
        step(Duration.ofHours(2));
        answer(b, r2);
        // an exercise, apart: cert-b acknowledges it 30 min late
        String drill = a.cases().open(CHANNEL, Kind.NOTIFY, Priority.URGENT, Tlp.GREEN,
                Json.object().put("summary", "Exercise: line drill").put("exercise", true)).caseId();
        arrived(b, drill);
        step(Duration.ofMinutes(45));
        ack(b, drill);

        // cert-c's node is down for an hour: cert-a's line test cannot reach it
        step(Duration.ofMinutes(5));
        int port = c.port();
        c.close();
        a.cases().open(CHANNEL, Kind.PING, Priority.ROUTINE, Tlp.GREEN, Json.object().put("mode", "auto").put("summary", "Line test"), TestNodes.USER);
        assertTrue(TestNodes.eventually(20, () -> a.federation().links().link("cert-c.example").map(l -> l.down()).orElse(false)),
                "cert-a's delivery to the stopped cert-c failed");
        outageFrom = a.federation().links().link("cert-c.example").orElseThrow().downSince();
        clock.advance(Duration.ofHours(1));
        c = TestNodes.start(tmp, "cert-c.example", null, clock, port);
        assertTrue(TestNodes.eventually(30, () -> a.federation().links().link("cert-c.example").map(l -> !l.down()).orElse(false)),
                () -> "the line to cert-c is back: " + a.federation().links().link("cert-c.example"));
        outageTo = a.federation().links().outages("cert-c.example").getLast().endedAt();
        step(Duration.ofHours(2)); // past cert-c's answer deadline of the second request
        // a second channel, for the report of every channel
        TestNodes.establish(TestNodes.charter(CHANNEL + "2", Tlp.AMBER, a, b), a, b);

        var users = a.node().users();
        users.put("boss", Passwords.hash("boss-password-1"), "admin", clock.instant());
        users.put("watch", Passwords.hash("watch-password-1"), "viewer", clock.instant());
        browser = Browser.start(tmp.resolve("chrome"));
        browser.signIn(a.baseUrl(), "boss", "boss-password-1");
        admin = WebSessions.signIn(a, "boss", "boss-password-1");
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    String request(String summary) throws Exception {
        String id = a.cases().open(CHANNEL, Kind.REQUEST, Priority.URGENT, Tlp.AMBER, Json.object().put("type", "trace").put("summary", summary)
                .put("asked", "Please act on it")).caseId();
        arrived(b, id);
        return id;
    }

    /**
     * Waits until every delivery is made and every log has taken in what it holds, then moves the clock: the report
     * counts a response at the recipient's log time when that is far from the time it was signed (a clock finding), so
     * the clock may only move once everything is logged.
     */
    void step(Duration d) throws Exception {
        assertTrue(TestNodes.eventually(20, () -> List.of(a, b, c).stream().allMatch(n -> n.node().log().store().queueLength() == 0
                && List.of(a, b, c).stream().filter(m -> m != n).allMatch(m -> n.federation().outbox().count(m.node().origin(), "queued") == 0))),
                "deliveries and logs settled");
        clock.advance(d);
    }

    void arrived(NodeServer n, String id) throws Exception {
        assertTrue(TestNodes.eventually(15, () -> n.cases().timeline(id).isPresent()), id + " reached " + n.node().origin());
    }

    void ack(NodeServer n, String id) throws Exception {
        arrived(n, id);
        var res = post(n, "/api/v1/cases/" + id + "/ack", "{\"text\":\"on it\"}");
        assertTrue(res.statusCode() / 100 == 2, res.body());
    }

    void answer(NodeServer n, String id) throws Exception {
        var res = post(n, "/api/v1/cases/" + id + "/answer", "{\"text\":\"done\"}");
        assertTrue(res.statusCode() / 100 == 2, res.body());
    }

    /**
     * A post to the API, sent again if the server timed out reading it (408: on a loaded test machine the tiny body
     * can arrive below the server's minimum data rate); nothing was done then, so sending it again is safe.
     */
    static HttpResponse<String> post(NodeServer n, String path, String json) throws Exception {
        HttpResponse<String> res = TestNodes.post(n, path, json);
        for (int i = 0; i < 3 && res.statusCode() == 408; i++) res = TestNodes.post(n, path, json);
        return res;
    }

    /** axe-core on the current page, but for the frame's known faults the accessibility part is fixing (brief). */
    void axe() {
        List<String> v = new ArrayList<>(Axe.violations(browser));
        // the frame's muted grey (#6b7685) is the accessibility part's to darken; any other contrast fault is ours
        v.removeIf(x -> x.startsWith("meta-refresh") || x.startsWith("link-in-text-block")
                || x.startsWith("color-contrast") && x.split("foreground color: ").length - 1 == x.split("foreground color: #6b7685").length - 1);
        assertTrue(v.isEmpty(), "axe-core on " + browser.driver.getCurrentUrl() + ":\n  " + String.join("\n  ", v));
    }

    static final String PERIOD = "channel=" + CHANNEL + "&from=2026-11-02&to=2026-11-15";

    @Test
    void reportDrawsTheChartsFromTheFiguresTheApiReports() throws Exception {
        browser.open(a.baseUrl() + "/reports?" + PERIOD + "&lang=en");
        WebElement section = browser.find(By.cssSelector("section.report-line[data-channel='" + CHANNEL + "']"));
        JsonNode api = Json.parse(TestNodes.get(a, "/api/v1/reports/responsiveness?channel=" + CHANNEL
                + "&from=2026-11-02T00:00:00Z&to=2026-11-16T00:00:00Z").body());
        Texts en = Texts.english();

        // the table holds the API's figures, party by party
        for (JsonNode p : api.path("parties")) {
            String party = p.path("party").asText();
            List<String> cells = section.findElements(By.cssSelector("table.report-figures tr[data-party='" + party + "'] td")).stream()
                    .map(WebElement::getText).toList();
            assertEquals(List.of(p.path("cases").asText(), p.path("requests").asText(), p.path("acknowledged_in_time").asText(),
                    p.path("acknowledgement_missed").asText(), percent(p.path("acknowledged_in_time_percent")), p.path("answered_in_time").asText(),
                    p.path("answer_missed").asText(), percent(p.path("answered_in_time_percent")), duration(p.path("median_ack_seconds"), en),
                    duration(p.path("median_answer_seconds"), en)), cells, party);
        }
        JsonNode bRow = party(api.path("parties"), "cert-b.example"), cRow = party(api.path("parties"), "cert-c.example");
        assertEquals(2, bRow.path("acknowledged_in_time").asInt(), api.toString());
        assertEquals(0, bRow.path("acknowledgement_missed").asInt());
        assertEquals(2, cRow.path("acknowledgement_missed").asInt(), "late in week 1, never in week 2: " + api);
        assertEquals(1, cRow.path("line_outages").asInt(), "the hour cert-c was down");

        // the deadlines chart: solid bars for met, hatched for missed, with the counts of the table
        WebElement deadlines = section.findElement(By.cssSelector("svg.chart[id$='-deadlines']"));
        assertEquals("img", deadlines.getAttribute("role"));
        assertTrue(deadlines.findElement(By.tagName("title")).getAttribute("textContent").contains("Deadlines met and missed"));
        assertEquals(List.of("2", "2"), counts(deadlines, "cert-b.example", "met"), "acknowledgement and answer bars of cert-b");
        assertEquals(List.of(), counts(deadlines, "cert-b.example", "missed"), "nothing missed by cert-b");
        assertEquals(List.of("2", "2"), counts(deadlines, "cert-c.example", "missed"));
        assertTrue(deadlines.findElement(By.cssSelector("[data-party='cert-c.example'][data-segment='missed']")).getAttribute("fill").startsWith("url(#"),
                "a missed deadline is hatched, not only red");
        assertTrue(deadlines.findElements(By.cssSelector("text.group-label")).stream().anyMatch(t -> t.getAttribute("textContent").contains("cert-c.example")),
                "a label names the party");

        // the weekly medians: cert-b a point in each week (10 min, then 5 min), cert-c in the first only (20 min)
        WebElement ack = section.findElement(By.cssSelector("svg.chart[id$='-ack']"));
        assertEquals(List.of("600", "300"), points(ack, "cert-b.example"));
        assertEquals(List.of("1200"), points(ack, "cert-c.example"));
        List<WebElement> weeks = section.findElements(By.cssSelector("table.report-medians[data-kind='ack'] tbody tr"));
        assertEquals(2, weeks.size(), "two weeks");
        assertEquals("2026-11-02", weeks.get(0).findElement(By.tagName("th")).getText());
        List<String> headers = section.findElements(By.cssSelector("table.report-medians[data-kind='ack'] thead th")).stream().map(WebElement::getText).toList();
        int bCol = headers.indexOf("cert-b.example") - 1;
        assertEquals(en.duration(Duration.ofMinutes(10)), weeks.get(0).findElements(By.tagName("td")).get(bCol).getText());
        assertEquals(en.duration(Duration.ofMinutes(5)), weeks.get(1).findElements(By.tagName("td")).get(bCol).getText());

        // the line to cert-c: one hatched outage, and the table's figures are the report's
        WebElement uptime = section.findElement(By.cssSelector("svg.chart[id$='-uptime']"));
        assertEquals(1, uptime.findElements(By.cssSelector("rect.outage[data-party='cert-c.example']")).size());
        assertEquals(0, uptime.findElements(By.cssSelector("rect.outage[data-party='cert-b.example']")).size());
        WebElement cLine = section.findElement(By.cssSelector("table.report-uptime tr[data-party='cert-c.example']"));
        assertEquals(List.of("1", en.duration(Duration.ofSeconds(cRow.path("line_downtime_seconds").asLong()))),
                cLine.findElements(By.tagName("td")).subList(1, 3).stream().map(WebElement::getText).toList());

        // exercises apart: cert-b's late drill acknowledgement is there, and not in the real figures above
        JsonNode drillB = party(api.path("exercises").path("parties"), "cert-b.example");
        assertEquals(1, drillB.path("acknowledgement_missed").asInt());
        WebElement drills = section.findElement(By.cssSelector("section.report-exercises"));
        assertEquals(List.of("1"), counts(drills.findElement(By.cssSelector("svg.chart")), "cert-b.example", "missed"));
        assertEquals("1", drills.findElement(By.cssSelector("tr[data-party='cert-b.example'] td:nth-of-type(3)")).getText());

        // inline SVG under the strict CSP: no style attribute anywhere in a chart, and the charts render at size
        assertTrue(browser.driver.findElements(By.cssSelector("svg.chart [style], svg.chart[style]")).isEmpty());
        assertTrue(deadlines.getSize().getWidth() > 300, "the chart is drawn: " + deadlines.getSize());
        axe();
        browser.screenshot(SHOTS.resolve("parley-ui-report-en.png"));
    }

    @Test
    void theReportPrintsWithoutNavigationAndKeepsTheCharts() throws Exception {
        browser.open(a.baseUrl() + "/reports?lang=en&from=2026-11-02&to=2026-11-15");
        browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        try {
            assertEquals("none", browser.find(By.cssSelector("nav.nav")).getCssValue("display"));
            assertEquals("none", browser.find(By.cssSelector("form.report-form")).getCssValue("display"));
            assertEquals("rgba(255, 255, 255, 1)", browser.find(By.tagName("body")).getCssValue("background-color"));
            assertEquals("rgba(0, 0, 0, 1)", browser.find(By.tagName("body")).getCssValue("color"));
            assertEquals("block", browser.find(By.cssSelector("svg.chart")).getCssValue("display"));
            List<WebElement> channels = browser.driver.findElements(By.cssSelector("section.report-line"));
            assertEquals(2, channels.size(), "every channel's report");
            assertEquals("page", channels.get(1).getCssValue("break-before"), "each channel after the first starts a page");
            assertEquals("avoid", browser.find(By.cssSelector("figure.chart-box")).getCssValue("break-inside"), "a chart is not cut in two");
        } finally {
            browser.driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));
        }
        assertNotEquals("none", browser.find(By.cssSelector("nav.nav")).getCssValue("display"), "on screen the navigation stays");
    }

    @Test
    void theReportInRussian() throws Exception {
        browser.open(a.baseUrl() + "/reports?" + PERIOD + "&lang=ru");
        Texts ru = Texts.of(io.parley.web.i18n.Lang.RU);
        assertEquals(ru.t("report.heading"), browser.find(By.tagName("h1")).getText());
        WebElement deadlines = browser.find(By.cssSelector("svg.chart[id$='-deadlines']"));
        assertTrue(deadlines.findElement(By.tagName("title")).getAttribute("textContent").contains(ru.t("report.chart.deadlines.title", CHANNEL)));
        assertTrue(browser.driver.findElements(By.cssSelector("svg.chart text")).stream()
                .anyMatch(t -> t.getAttribute("textContent").equals(ru.t("report.axis.median"))), "axis labels in Russian");
        axe();
        browser.screenshot(SHOTS.resolve("parley-ui-report-ru.png"));
        browser.open(a.baseUrl() + "/reports?" + PERIOD + "&lang=ar");
        assertEquals("rtl", browser.find(By.tagName("html")).getAttribute("dir"));
        axe();
        browser.screenshot(SHOTS.resolve("parley-ui-report-ar.png"));
    }

    @Test
    void aPeriodThatIsNotOneIsAPageNotA500() throws Exception {
        for (String q : List.of("from=2026-11-20&to=2026-11-02", "from=yesterday", "from=2020-01-01&to=2026-01-01")) {
            var res = WebSessions.get(a, admin, "/reports?" + q);
            assertEquals(422, res.statusCode(), q);
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        }
        assertEquals(404, WebSessions.get(a, admin, "/reports?channel=nope").statusCode());
        var hostile = WebSessions.get(a, admin, "/reports?from=%3Cscript%3E");
        assertFalse(hostile.body().contains("<script>"), "escaped");
    }

    @Test
    void peersShowTheOutageOfTheLineToCertC() throws Exception {
        browser.open(a.baseUrl() + "/peers?lang=en");
        WebElement row = browser.find(By.cssSelector("tr[data-peer='cert-c.example']"));
        assertEquals("1", row.findElement(By.cssSelector("td.outages")).getText(), row.getText());
        assertTrue(row.getText().contains(c.node().key().verifierKey().fingerprint()), row.getText());
        assertTrue(row.getText().toLowerCase(Locale.ROOT).contains("up"), "back up now: " + row.getText());
        axe();
        browser.screenshot(SHOTS.resolve("parley-ui-peers-en.png"));
        browser.follow(By.cssSelector("a[href='/peers/cert-c.example']"));
        assertEquals("/peers/cert-c.example", browser.path());
        Texts en = Texts.english();
        List<WebElement> outages = browser.driver.findElements(By.cssSelector("table.peer-outages tbody tr"));
        assertEquals(1, outages.size());
        List<String> cells = outages.get(0).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertEquals(en.time(outageFrom), cells.get(0));
        assertEquals(en.time(outageTo), cells.get(1));
        assertEquals(1, browser.driver.findElements(By.cssSelector("svg.chart rect.outage")).size(), "drawn on the line's timeline");
        String page = browser.text();
        assertTrue(page.contains(c.node().key().verifierKey().fingerprint()) && page.contains("charter of channel " + CHANNEL), page);
        assertTrue(browser.driver.findElements(By.cssSelector(".peer-channels a[href='/channels/" + CHANNEL + "']")).size() == 1);
        axe();
        browser.open(a.baseUrl() + "/peers/cert-c.example?lang=ru");
        axe();
        browser.screenshot(SHOTS.resolve("parley-ui-peer-ru.png"));
        assertEquals(404, WebSessions.get(a, admin, "/peers/nobody.example").statusCode());
        assertEquals(404, WebSessions.get(a, admin, "/peers/cert-a.example").statusCode(), "this node is not its own peer");
    }

    @Test
    void adminRevokesAnyAccountsTokenWithTheFormsToken() throws Exception {
        Tokens.Issued issued = a.node().tokens().issue(TestNodes.USER, "siem pull", Tokens.Scope.READ, List.of("*"), Duration.ofDays(30));
        String id = issued.token().id();
        assertEquals(200, bearer(issued.secret()).statusCode());

        // forged: a post without the session's form token changes nothing
        var forged = WebSessions.form(a, "/admin/tokens/" + id + "/revoke", admin, "csrf=");
        assertEquals(403, forged.statusCode());
        assertEquals(200, bearer(issued.secret()).statusCode(), "still works");

        browser.open(a.baseUrl() + "/admin?lang=en");
        WebElement row = browser.find(By.cssSelector("tr[data-token='" + id + "']"));
        assertTrue(row.getText().contains("siem pull") && row.getText().contains(TestNodes.USER), row.getText());
        assertTrue(browser.text().contains("boss") && browser.text().contains("watch"), "accounts listed");
        assertFalse(browser.driver.findElements(By.cssSelector("table.admin-audit tbody tr")).isEmpty(), "the newest audit records");
        axe();
        browser.follow(By.cssSelector("form[action='/admin/tokens/" + id + "/revoke'] button"));
        assertEquals("/admin", browser.path());
        assertTrue(browser.text().contains("Token revoked"), browser.text());
        assertEquals(401, bearer(issued.secret()).statusCode(), "the revoked token no longer opens the API");
        assertTrue(a.node().audit().after(0, 10_000).stream().anyMatch(r -> r.action().equals("token-revoked") && r.target().equals(id) && r.actor().equals("boss")),
                "on record");
        browser.screenshot(SHOTS.resolve("parley-ui-admin-en.png"));
        browser.open(a.baseUrl() + "/admin?lang=ar");
        axe();
    }

    @Test
    void onlyAdminsReachTheHubAndNobodyWithoutASession() throws Exception {
        Tokens.Issued issued = a.node().tokens().issue("watch", "viewer token", Tokens.Scope.READ, List.of("*"), Duration.ofDays(30));
        String id = issued.token().id();
        for (String[] who : new String[][] {{TestNodes.USER, TestNodes.PASSWORD}, {"watch", "watch-password-1"}}) {
            String cookie = WebSessions.signIn(a, who[0], who[1]);
            assertEquals(403, WebSessions.get(a, cookie, "/admin").statusCode(), who[0]);
            String csrf = WebSessions.csrf(a, cookie, "/reports");
            assertEquals(403, WebSessions.form(a, "/admin/tokens/" + id + "/revoke", cookie, "csrf=" + WebSessions.enc(csrf)).statusCode(), who[0]);
            // reading is everyone's
            assertEquals(200, WebSessions.get(a, cookie, "/reports").statusCode(), who[0]);
            assertEquals(200, WebSessions.get(a, cookie, "/peers").statusCode(), who[0]);
            assertEquals(200, WebSessions.get(a, cookie, "/peers/cert-b.example").statusCode(), who[0]);
        }
        assertEquals(200, bearer(issued.secret()).statusCode(), "not revoked");
        for (String path : List.of("/reports", "/peers", "/peers/cert-b.example", "/admin")) {
            var res = TestNodes.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + path)).GET().build());
            assertEquals(303, res.statusCode(), path);
            assertTrue(res.headers().firstValue("Location").orElse("").startsWith("/login"), path);
        }
        var post = TestNodes.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/admin/tokens/" + id + "/revoke"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf=x")).build());
        assertEquals(401, post.statusCode());
        assertEquals(200, bearer(issued.secret()).statusCode(), "still not revoked");
    }

    HttpResponse<String> bearer(String secret) throws Exception {
        return TestNodes.send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/api/v1/channels")).header("Authorization", "Bearer " + secret).GET().build());
    }

    static JsonNode party(JsonNode parties, String origin) {
        for (JsonNode p : parties) if (p.path("party").asText().equals(origin)) return p;
        throw new AssertionError("no " + origin + " in " + parties);
    }

    static List<String> counts(WebElement svg, String party, String segment) {
        return svg.findElements(By.cssSelector("rect.seg[data-party='" + party + "'][data-segment='" + segment + "']")).stream()
                .map(e -> e.getAttribute("data-count")).toList();
    }

    static List<String> points(WebElement svg, String party) {
        return svg.findElements(By.cssSelector(".point[data-party='" + party + "']")).stream().map(e -> e.getAttribute("data-seconds")).toList();
    }

    static String percent(JsonNode v) {
        return v.isNull() ? "—" : String.format(Locale.ROOT, "%.1f %%", v.asDouble());
    }

    static String duration(JsonNode seconds, Texts t) {
        return seconds.isNull() ? "—" : t.duration(Duration.ofSeconds(seconds.asLong()));
    }
}
