package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;
import io.parley.web.i18n.Lang;
import io.parley.web.i18n.Texts;

/**
 * The evidence and verify pages on two real nodes (cert-a, cert-b) in headless Chromium: cert-a opens a case with STIX
 * evidence, cert-b a case reporting the same address; cert-b's officer reads the evidence table (parties, TLP badges,
 * the correlation to its own case), downloads STIX, MISP and IODEF; a TLP:RED case's objects show only to a reader
 * cleared for RED; a real case bundle exported by the node is uploaded to the verify page and verifies, and the same
 * bundle with one byte of a signature changed fails with the check named. The guards (no session, no CSRF token,
 * oversized and hostile uploads) are driven over plain HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceVerifyPagesTest {
    static final String IP = "203.0.113.66";
    static final String RED_IP = "198.51.100.77";
    static final Path SHOTS = Path.of("target/screenshots");

    @TempDir static Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;
    Browser browser;
    String mine, theirs, red;

    @BeforeAll
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        TestNodes.establish(TestNodes.charter("ui", Tlp.RED, a, b), a, b);
        b.node().users().put("watch", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "viewer", clock.instant());
        b.node().users().put("boss", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "admin", clock.instant());

        ObjectNode body = Json.object().put("type", "trace").put("summary", "C2 server in your range").put("asked", "Identify the operator of " + IP);
        body.set("stix", bundle(indicator(Tlp.AMBER, IP, "C2 of the kit"), ipv4(Tlp.GREEN, IP)));
        theirs = a.cases().open("ui", Kind.REQUEST, Priority.URGENT, Tlp.AMBER, body).caseId();
        ObjectNode own = Json.object().put("summary", "Scanner seen at our border");
        own.set("stix", bundle(indicator(Tlp.GREEN, IP, "Scanner")));
        mine = b.cases().open("ui", Kind.NOTIFY, Priority.ROUTINE, Tlp.GREEN, own).caseId();
        ObjectNode secret = Json.object().put("summary", "Named recipients only");
        secret.putArray("recipients").add("cert-b.example");
        secret.set("stix", bundle(indicator(Tlp.GREEN, RED_IP, "Red source")));
        red = a.cases().open("ui", Kind.NOTIFY, Priority.ROUTINE, Tlp.RED, secret).caseId();
        assertTrue(TestNodes.eventually(15, () -> b.cases().timeline(theirs).isPresent() && b.cases().timeline(red).isPresent()));
        assertTrue(TestNodes.eventually(15, () -> !new io.parley.taxii.CaseEvidence(b.node().evidence())
                .of(b.node().evidence().access().requester("boss", "admin"), "ui", red).items().isEmpty()), "cert-b indexed the RED case's evidence");

        browser = Browser.start(tmp.resolve("chrome"));
        browser.signIn(b.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    // ---- evidence ----

    @Test
    void theEvidenceTableShowsWhatThePeerSentWithItsPartyAndLabelsAndLeadsToTheCaseThatReportedTheSameAddress() throws Exception {
        browser.open(b.baseUrl() + "/cases/" + theirs + "?channel=ui");
        browser.follow(By.cssSelector("a[href^='/cases/" + theirs + "/evidence?channel=ui']"));
        assertEquals("/cases/" + theirs + "/evidence", browser.path());
        WebElement indicator = row("[ipv4-addr:value = '" + IP + "']");
        assertTrue(indicator.getText().contains("Indicator"), indicator.getText());
        assertTrue(indicator.getText().contains("C2 of the kit"), "the indicator's name: " + indicator.getText());
        assertEquals("TLP:AMBER", indicator.findElement(By.cssSelector(".tlp")).getText(), "the badge carries its text");
        assertTrue(indicator.findElement(By.cssSelector(".tlp")).getAttribute("title").startsWith("TLP:AMBER: "), "and its meaning");
        assertTrue(indicator.getText().contains("cert-a.example"), "sent by cert-a: " + indicator.getText());
        assertTrue(indicator.getText().contains("2026-11-23"), "first seen: " + indicator.getText());
        WebElement address = row(IP);
        assertTrue(address.getText().contains("IPv4 address"), address.getText());
        assertEquals("TLP:GREEN", address.findElement(By.cssSelector(".tlp")).getText());
        axe();

        WebElement also = indicator.findElement(By.cssSelector(".ev-also a"));
        assertEquals("by cert-b.example in case " + mine, also.getText());
        browser.follow(By.linkText("by cert-b.example in case " + mine));
        assertEquals("/cases/" + mine + "/evidence", browser.path());
        WebElement back = row("[ipv4-addr:value = '" + IP + "']");
        assertTrue(back.getText().contains("this node"), "cert-b's own indicator: " + back.getText());
        assertTrue(back.findElement(By.cssSelector(".ev-also a")).getText().equals("by cert-a.example in case " + theirs), back.getText());
    }

    private WebElement row(String value) {
        for (WebElement tr : browser.driver.findElements(By.cssSelector("table.ev-table tbody tr"))) {
            for (WebElement code : tr.findElements(By.cssSelector(".ev-value > code"))) if (code.getText().equals(value)) return tr;
        }
        throw new AssertionError("no row for " + value + " in " + browser.text());
    }

    @Test
    void downloadsAnswerAsStixMispAndIodefAndTheMispExportIsOnRecord() throws Exception {
        String session = WebSessions.signIn(b);
        String html = WebSessions.get(b, session, "/cases/" + theirs + "/evidence?channel=ui").body();
        var m = java.util.regex.Pattern.compile("href=\"(/evidence/([0-9a-f]{64})/stix)\"").matcher(html);
        assertTrue(m.find(), html);
        String sha = m.group(2);
        var stix = WebSessions.get(b, session, "/evidence/" + sha + "/stix");
        assertEquals(200, stix.statusCode(), stix.body());
        assertTrue(stix.headers().firstValue("Content-Type").orElse("").startsWith("application/stix+json"), stix.headers().toString());
        assertTrue(stix.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        assertEquals(2, Json.parse(stix.body()).path("objects").size());
        var misp = WebSessions.get(b, session, "/evidence/" + sha + "/misp");
        assertEquals(200, misp.statusCode(), misp.body());
        assertTrue(misp.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(misp.body().contains(IP) && Json.parse(misp.body()).has("Event"), misp.body());
        var iodef = WebSessions.get(b, session, "/evidence/" + sha + "/iodef");
        assertEquals(200, iodef.statusCode(), iodef.body());
        assertTrue(iodef.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"));
        assertTrue(iodef.body().contains("IODEF-Document") && iodef.body().contains(IP), iodef.body());
        assertTrue(b.node().audit().after(0, 10_000).stream().anyMatch(r -> r.action().equals("export") && r.target().equals("evidence " + sha)
                && r.detail().contains("MISP")), "the MISP export is on record, as through the API");
        // the same bundle as the API serves the same account
        var api = TestNodes.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/api/v1/evidence/" + sha)).header("Authorization", TestNodes.basicAuth()).GET().build());
        assertEquals(Json.parse(api.body()), Json.parse(stix.body()));

        assertEquals(404, WebSessions.get(b, session, "/evidence/" + sha + "/pdf").statusCode());
        assertEquals(404, WebSessions.get(b, session, "/evidence/" + "0".repeat(64) + "/stix").statusCode());
        var anonymous = WebSessions.get(b, null, "/evidence/" + sha + "/stix");
        assertEquals(303, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("Location").orElse("").startsWith("/login"));
        var bundle = WebSessions.get(b, session, "/cases/" + theirs + "/bundle?channel=ui");
        assertEquals(200, bundle.statusCode());
        assertEquals(CaseBundleVerifier.FORMAT, Json.parse(bundle.body()).path("format").asText(), "the case bundle download stays, at its new address");
    }

    @Test
    void aReaderWithoutARedGrantNeverSeesTheRedCasesObjectsAndAnAdminDoes() throws Exception {
        String path = "/cases/" + red + "/evidence?channel=ui";
        for (String user : List.of(TestNodes.USER, "watch")) {
            var page = WebSessions.get(b, WebSessions.signIn(b, user, TestNodes.PASSWORD), path);
            assertEquals(200, page.statusCode(), user + ": " + page.body());
            assertFalse(page.body().contains(RED_IP), user + " sees no RED object");
            assertFalse(page.body().contains("Red source"), user);
            assertTrue(page.body().contains("1 object of this case is marked TLP:RED"), user + ": the page says something is held back");
            assertFalse(page.body().contains("/evidence/") && page.body().contains("/stix\""), user + ": and offers no download of it");
        }
        String sha = new io.parley.taxii.CaseEvidence(b.node().evidence()).of(b.node().evidence().access().requester("boss", "admin"), "ui", red)
                .bundles().get(0).sha256();
        var officer = WebSessions.signIn(b);
        assertEquals(404, WebSessions.get(b, officer, "/evidence/" + sha + "/stix").statusCode(), "nor directly");
        assertFalse(WebSessions.get(b, officer, "/evidence/" + sha + "/misp").body().contains(RED_IP));
        var admin = WebSessions.get(b, WebSessions.signIn(b, "boss", TestNodes.PASSWORD), path);
        assertTrue(admin.body().contains(RED_IP), "an admin reads RED: " + admin.body());
        assertTrue(admin.body().contains("TLP:RED"));
        // the correlation index follows the same rule: cert-b's own case does not point the officer to the RED case
        assertFalse(WebSessions.get(b, officer, "/cases/" + mine + "/evidence?channel=ui").body().contains(red));
    }

    @Test
    void evidenceItsSenderWithdrewIsShownAsWithdrawnAndNotExportedToOtherTools() throws Exception {
        ObjectNode body = Json.object().put("summary", "Phishing kit host");
        body.set("stix", bundle(indicator(Tlp.AMBER, "192.0.2.200", "Kit host")));
        String caseId = a.cases().open("ui", Kind.NOTIFY, Priority.ROUTINE, Tlp.AMBER, body).caseId();
        var atA = new io.parley.taxii.CaseEvidence(a.node().evidence());
        assertTrue(TestNodes.eventually(15, () -> !atA.of(a.node().evidence().access().requester("duty", "officer"), "ui", caseId).bundles().isEmpty()));
        String sha = atA.of(a.node().evidence().access().requester("duty", "officer"), "ui", caseId).bundles().get(0).sha256();
        String session = WebSessions.signIn(b);
        String path = "/cases/" + caseId + "/evidence?channel=ui";
        assertTrue(TestNodes.eventually(15, () -> {
            try {
                return WebSessions.get(b, session, path).body().contains("192.0.2.200");
            } catch (Exception e) {
                return false;
            }
        }), "cert-b holds the evidence");
        assertTrue(WebSessions.get(b, session, path).body().contains("/evidence/" + sha + "/misp"), "offered to MISP before the withdrawal");

        new io.parley.taxii.EvidenceWithdrawal(a.node(), a.node().evidence()).withdraw(sha, "ui", caseId, "sent in error", "en", TestNodes.USER);
        assertTrue(TestNodes.eventually(15, () -> {
            try {
                return WebSessions.get(b, session, path).body().contains("Withdrawn by its sender");
            } catch (Exception e) {
                return false;
            }
        }), "the row says the sender withdrew it");
        String page = WebSessions.get(b, session, path).body();
        assertTrue(page.contains("class=\"ev-gone\""), page);
        assertTrue(page.contains("withdrawn: no MISP or IODEF export"), page);
        assertFalse(page.contains("/evidence/" + sha + "/misp"), "no MISP link any more");
        var misp = WebSessions.get(b, session, "/evidence/" + sha + "/misp");
        assertEquals(410, misp.statusCode(), misp.body());
        assertTrue(misp.body().contains("Evidence withdrawn"), misp.body());
        assertEquals(200, WebSessions.get(b, session, "/evidence/" + sha + "/stix").statusCode(), "the STIX record of what was shared stays");
    }

    @Test
    void theEvidencePageOfAnUnknownCaseIsAPageNotATrace() throws Exception {
        var res = WebSessions.get(b, WebSessions.signIn(b), "/cases/no-such-case/evidence?channel=ui");
        assertEquals(404, res.statusCode());
        assertTrue(res.body().contains("No such case"), res.body());
        assertEquals(303, WebSessions.get(b, null, "/cases/" + theirs + "/evidence?channel=ui").statusCode(), "no session: sign in first");
    }

    // ---- verify ----

    /** The case bundle cert-b's node exports for {@code caseId}, once its log has checkpointed every message in it. */
    private JsonNode exportedBundle(String caseId) throws Exception {
        String session = WebSessions.signIn(b);
        JsonNode[] last = new JsonNode[1];
        assertTrue(TestNodes.eventually(20, () -> {
            try {
                last[0] = Json.parse(WebSessions.get(b, session, "/cases/" + caseId + "/bundle?channel=ui").body());
                return CaseBundleVerifier.verify(last[0]).valid();
            } catch (Exception e) {
                return false;
            }
        }), "a verifying bundle");
        return last[0];
    }

    private void upload(Path file) {
        browser.open(b.baseUrl() + "/verify");
        browser.find(By.id("bundle-file")).sendKeys(file.toAbsolutePath().toString());
        // wait for the answer page by a mark on the form's page (no element reference survives the navigation)
        browser.driver.executeScript("document.documentElement.dataset.before = 'upload'");
        browser.find(By.cssSelector("form[action='/verify'] button[type=submit]")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(
                ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState === 'complete' && !document.documentElement.dataset.before")));
    }

    @Test
    void aRealBundleUploadedVerifiesAndOneChangedByteOfASignatureFailsWithTheCheckNamed() throws Exception {
        JsonNode bundle = exportedBundle(theirs);
        Path good = tmp.resolve(theirs + ".parley.json");
        Files.writeString(good, Json.write(bundle));
        upload(good);
        String text = browser.text();
        assertTrue(text.contains("Verified: the bundle holds"), text);
        int checks = CaseBundleVerifier.verify(bundle).checks().size();
        assertTrue(text.contains("All " + checks + " checks hold."), text);
        for (String group : List.of("Signatures", "Hash chains", "Transparency log: inclusion and consistency", "Case timeline and deadlines")) {
            assertTrue(text.contains(group), group + " in " + text);
        }
        assertTrue(text.contains("Hash chain of cert-a.example"), "each check named in the reader's language: " + text);
        assertTrue(text.contains("hash chain of cert-a.example: seq "), "with the verifier's own line: " + text);
        assertEquals(checks, browser.driver.findElements(By.cssSelector("tr.vc-ok")).size(), "every check shows");
        axe();

        ObjectNode tampered = bundle.deepCopy();
        ObjectNode envelope = (ObjectNode) tampered.path("envelopes").get(0);
        String sig = envelope.get("sig").asText();
        char c = sig.charAt(10);
        envelope.put("sig", sig.substring(0, 10) + (c == 'A' ? 'B' : 'A') + sig.substring(11));
        Path bad = tmp.resolve("tampered.parley.json");
        Files.writeString(bad, Json.write(tampered));
        upload(bad);
        text = browser.text();
        assertTrue(text.contains("Not verified: the bundle does not hold"), text);
        List<WebElement> failed = browser.driver.findElements(By.cssSelector("tr.vc-fail"));
        assertFalse(failed.isEmpty());
        String from = envelope.get("from").asText() + "#" + envelope.get("seq").asLong();
        assertTrue(failed.stream().anyMatch(r -> r.getText().contains("Message " + from) && r.getText().contains("fails")),
                "the envelope whose signature changed is named: " + text);
        assertTrue(failed.stream().anyMatch(r -> r.getText().contains("Signatures of all messages")), text);
        assertTrue(browser.find(By.cssSelector(".verdict")).getText().contains("failed"), "the verdict is at the top");
        axe();
        browser.screenshot(SHOTS.resolve("verify-failed-en.png"));
    }

    @Test
    void everyCheckTheVerifierRunsHasANameInEveryLanguage() throws Exception {
        JsonNode bundle = exportedBundle(theirs);
        for (CaseBundleVerifier.Check c : CaseBundleVerifier.verify(bundle).checks()) {
            assertNotEquals("verify.check.other", VerifyChecks.keyOf(c.name()), "a kind the page knows: " + c.name());
        }
        for (String name : List.of("format", "bundle structure", "receipt from cert-b.example for abcd...", "log time cert-b.example for ab...",
                "checkpoint 12 of cert-a.example", "silence of cert-b.example (ack)", "withheld notice cert-a.example#4", "clock of cert-b.example",
                "courtesy translation")) {
            assertNotEquals("verify.check.other", VerifyChecks.keyOf(name), name);
        }
        for (Lang lang : Lang.values()) {
            for (String key : VerifyChecks.keys()) assertTrue(Texts.of(lang).has(key), lang + " " + key);
            for (String g : VerifyChecks.GROUPS) assertTrue(Texts.of(lang).has("verify.group." + g) && Texts.of(lang).has("verify.group." + g + ".about"), lang + " " + g);
        }
    }

    @Test
    void verifyingNeedsASessionAndTheFormsToken() throws Exception {
        var get = WebSessions.get(b, null, "/verify");
        assertEquals(303, get.statusCode());
        assertEquals("/login?next=%2Fverify", get.headers().firstValue("Location").orElse(""));
        String body = Json.write(exportedBundle(theirs));
        assertEquals(401, multipart(null, null, body).statusCode(), "no session: nothing is read");
        String session = WebSessions.signIn(b, "watch", TestNodes.PASSWORD);
        var forged = multipart(session, null, body);
        assertEquals(403, forged.statusCode(), "no CSRF token: " + forged.body());
        assertFalse(forged.body().contains("Verified"));
        var viewer = multipart(session, WebSessions.csrf(b, session, "/verify"), body);
        assertEquals(200, viewer.statusCode(), "any signed-in role may verify: " + viewer.body());
        assertTrue(viewer.body().contains("Verified: the bundle holds"));
    }

    @Test
    void hostileUploadsGetAClearPageAndNeverA500() throws Exception {
        String session = WebSessions.signIn(b);
        String csrf = WebSessions.csrf(b, session, "/verify");
        var notJson = multipart(session, csrf, "this is not json");
        assertEquals(422, notJson.statusCode(), notJson.body());
        assertTrue(notJson.body().contains("Not a JSON document"), notJson.body());
        var deep = multipart(session, csrf, "[".repeat(100_000) + "]".repeat(100_000));
        assertEquals(422, deep.statusCode(), deep.body());
        assertTrue(deep.body().contains("Not a JSON document"));
        var notUtf8 = multipart(session, csrf, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        assertEquals(422, notUtf8.statusCode(), notUtf8.body());
        assertTrue(notUtf8.body().contains("Not a text file"), notUtf8.body());
        var notABundle = multipart(session, csrf, "{\"format\":\"something-else\"}");
        assertEquals(422, notABundle.statusCode());
        assertTrue(notABundle.body().contains("Not verified") && notABundle.body().contains("Bundle format"), notABundle.body());
        var empty = multipart(session, csrf, "");
        assertEquals(400, empty.statusCode());
        assertTrue(empty.body().contains("No file chosen"), empty.body());
        var noFile = WebSessions.form(b, "/verify", session, "csrf=" + csrf);
        assertEquals(400, noFile.statusCode(), noFile.body());

        String response = oversized(session, csrf);
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.contains("File too large") && response.contains("10 MiB"), "a page that says why: " + response);
        assertEquals(200, TestNodes.get(b, "/healthz").statusCode());
    }

    private HttpResponse<String> multipart(String cookie, String csrf, String file) throws Exception {
        return multipart(cookie, csrf, file.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> multipart(String cookie, String csrf, byte[] file) throws Exception {
        String boundary = "----parley" + UUID.randomUUID();
        var out = new java.io.ByteArrayOutputStream();
        if (csrf != null) out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"case.parley.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(file);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(b.baseUrl() + "/verify")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
        if (cookie != null) req.header("Cookie", cookie);
        return TestNodes.send(req.build());
    }

    /** An 11 MiB upload sent chunked (no Content-Length to go by): the status line, headers and page the node answers. */
    private String oversized(String cookie, String csrf) throws Exception {
        URI uri = URI.create(b.baseUrl());
        String boundary = "----parleyBIG";
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /verify HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nCookie: " + cookie
                    + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    chunk(out, ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n--" + boundary
                            + "\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"big.json\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] filler = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < 11 * 16; i++) chunk(out, filler);
                    chunk(out, ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (java.io.IOException e) {
                    // the node stopped reading and closed: expected past the limit
                }
            });
            // read the answer up to the end of its page: whether the node closes the connection after it is not the point
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder answer = new StringBuilder();
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    answer.append(line).append('\n');
                    if (line.contains("</html>")) break;
                }
            } catch (java.io.IOException e) {
                // reset after the page: what was read is the answer
            }
            String response = answer.toString();
            writer.join(30_000);
            return response;
        }
    }

    private static void chunk(OutputStream out, byte[] data) throws java.io.IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    // ---- the pages in English, Russian and Arabic ----

    @Test
    void screenshotsOfBothPagesInEnglishRussianAndArabic() throws Exception {
        Path good = tmp.resolve("shot.parley.json");
        Files.writeString(good, Json.write(exportedBundle(theirs)));
        for (String lang : List.of("en", "ru", "ar")) {
            browser.open(b.baseUrl() + "/cases/" + theirs + "/evidence?channel=ui&lang=" + lang);
            assertEquals(lang, browser.find(By.tagName("html")).getAttribute("lang"));
            axe();
            browser.screenshot(SHOTS.resolve("evidence-" + lang + ".png"));
            upload(good);
            axe();
            browser.screenshot(SHOTS.resolve("verify-" + lang + ".png"));
        }
        browser.open(b.baseUrl() + "/cases/" + theirs + "/evidence?channel=ui&lang=ru");
        assertTrue(browser.text().contains("Индикатор"), browser.text());
        browser.open(b.baseUrl() + "/verify?lang=en");
    }

    /** axe-core on the current page: no serious or critical violation. */
    private void axe() {
        Axe.check(browser);
    }

    // ---- STIX ----

    static ObjectNode indicator(Tlp tlp, String ip, String name) {
        ObjectNode o = Json.object();
        o.put("type", "indicator").put("spec_version", "2.1").put("id", "indicator--" + UUID.randomUUID());
        o.put("created", "2026-11-22T00:00:00.000Z").put("modified", "2026-11-22T00:00:00.000Z").put("name", name);
        o.putArray("indicator_types").add("malicious-activity");
        o.put("pattern", "[ipv4-addr:value = '" + ip + "']").put("pattern_type", "stix").put("valid_from", "2026-11-22T00:00:00.000Z");
        o.putArray("object_marking_refs").add(io.parley.evidence.WellKnownMarkings.tlp2Id(tlp));
        return o;
    }

    static ObjectNode ipv4(Tlp tlp, String ip) {
        ObjectNode o = Json.object();
        o.put("type", "ipv4-addr").put("spec_version", "2.1").put("id", "ipv4-addr--" + UUID.randomUUID()).put("value", ip);
        o.putArray("object_marking_refs").add(io.parley.evidence.WellKnownMarkings.tlp2Id(tlp));
        return o;
    }

    static ObjectNode bundle(ObjectNode... objects) {
        ObjectNode b = Json.object().put("type", "bundle").put("id", "bundle--" + UUID.randomUUID());
        var arr = b.putArray("objects");
        for (ObjectNode o : objects) arr.add(o);
        return b;
    }
}
