package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import io.parley.server.DemoNetwork;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * A duty officer's night on the demo network, in real Chromium against three real nodes: sign in to cert-b, read the
 * desk in Russian and in Arabic (right to left), open cert-a's overdue flash request and decline it with a reason,
 * see cert-a's desk show the decline, open the case's evidence table, upload the case's signed bundle to the verify
 * page (it holds) and a tampered copy (it fails), and read the report's charts. axe-core checks every page on the way.
 * The pictures go to {@code target/screenshots}, or to {@code -Dparley.screenshots=DIR} (the README's come from here).
 */
class DeskTourTest {
    @TempDir Path tmp;

    @Test
    void signInSwitchLanguagesDeclineReadEvidenceVerifyAndReport() throws Exception {
        Path shots = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));
        Files.createDirectories(shots);
        try (DemoNetwork demo = DemoNetwork.start(tmp.resolve("demo"), 0, Clock.systemUTC());
             Browser browser = Browser.start(tmp.resolve("chrome"))) {
            NodeServer a = demo.nodes().get(0), b = demo.nodes().get(1);
            String overdue = io.parley.server.DemoNetworkTest.seeded(a, "Trace C2 of wiper");
            assertTrue(TestNodes.eventually(15, () -> b.cases().timeline("demo-trilateral", overdue).isPresent()));

            // sign in, the desk in English
            browser.signIn(b.baseUrl(), DemoNetwork.USER, demo.password());
            browser.open(b.baseUrl() + "/?lang=en");
            assertEquals("en", browser.find(By.tagName("html")).getAttribute("lang"));
            assertTrue(browser.text().contains("Duty desk"), browser.text());
            Axe.check(browser);
            browser.screenshot(shots.resolve("dashboard-en.png"));

            // Russian, through the switch in the header
            browser.follow(By.cssSelector("nav.langs a[lang='ru']"));
            assertEquals("ru", browser.find(By.tagName("html")).getAttribute("lang"));
            assertTrue(browser.text().contains("Дежурный пульт"), browser.text());
            Axe.check(browser);
            browser.screenshot(shots.resolve("dashboard-ru.png"));

            // Arabic, right to left
            browser.follow(By.cssSelector("nav.langs a[lang='ar']"));
            assertEquals("rtl", browser.find(By.tagName("html")).getAttribute("dir"));
            assertEquals("rtl", browser.find(By.tagName("body")).getCssValue("direction"));
            Axe.check(browser);
            browser.screenshot(shots.resolve("dashboard-ar.png"));
            browser.follow(By.cssSelector("nav.langs a[lang='en']"));

            // the overdue flash request: decline it with a reason code and a reason
            browser.open(b.baseUrl() + Fmt.caseHref(overdue, "demo-trilateral", null));
            Axe.check(browser);
            browser.find(By.cssSelector("input[name=decision][value=decline]")).click();
            new Select(browser.find(By.id("reason_code"))).selectByValue("legal-obstacle");
            browser.find(By.id("reason")).sendKeys("Subscriber data needs an MLAT request through the ministry.");
            browser.follow(By.cssSelector("button[formaction$='/ack']"));
            assertTrue(browser.find(By.cssSelector(".decision-decline")).isDisplayed(), browser.text());
            browser.screenshot(shots.resolve("case-declined-en.png"));

            // cert-a's desk shows the decline, with the reason as written
            browser.signIn(a.baseUrl(), DemoNetwork.USER, demo.password());
            browser.open(a.baseUrl() + Fmt.caseHref(overdue, "demo-trilateral", null) + "&lang=en");
            assertTrue(browser.refreshUntil(20, () -> !browser.driver.findElements(By.cssSelector(".decision-decline")).isEmpty()),
                    "the decline reached cert-a: " + browser.text());
            assertTrue(browser.text().contains("Subscriber data needs an MLAT request through the ministry."), browser.text());
            Axe.check(browser);

            // the evidence table of the case at cert-b: cert-a's indicator, with the correlation to cert-b's own report
            browser.open(b.baseUrl() + "/cases/" + Fmt.path(overdue) + "/evidence?channel=demo-trilateral");
            String evidence = browser.text();
            assertTrue(evidence.contains("203.0.113.66") && evidence.contains("TLP:AMBER") && evidence.contains("cert-a.example"), evidence);
            Axe.check(browser);
            browser.screenshot(shots.resolve("evidence-en.png"));

            // the case's signed bundle, uploaded to the verify page: it holds; a tampered copy does not
            String session = WebSessions.signIn(b, DemoNetwork.USER, demo.password());
            JsonNode[] bundle = {null};
            assertTrue(TestNodes.eventually(30, () -> {
                try {
                    bundle[0] = Json.parse(WebSessions.get(b, session, "/cases/" + Fmt.path(overdue) + "/bundle?channel=demo-trilateral").body());
                    return io.parley.bundle.CaseBundleVerifier.verify(bundle[0]).valid();
                } catch (Exception e) {
                    return false;
                }
            }), "the exported bundle verifies once every message is in a checkpoint");
            Path good = tmp.resolve("case.parley.json");
            Files.writeString(good, Json.write(bundle[0]));
            browser.open(b.baseUrl() + "/verify");
            Axe.check(browser);
            browser.find(By.id("bundle-file")).sendKeys(good.toAbsolutePath().toString());
            browser.follow(By.cssSelector("form[action='/verify'] button[type=submit]"));
            assertTrue(browser.text().contains("Verified: the bundle holds"), browser.text());
            assertTrue(browser.driver.findElements(By.cssSelector("tr.vc-fail")).isEmpty());
            Axe.check(browser);
            browser.screenshot(shots.resolve("verify-en.png"));

            // someone edits what cert-a asked for, after the fact
            ObjectNode tampered = bundle[0].deepCopy();
            boolean edited = false;
            for (JsonNode e : tampered.path("envelopes")) {
                if (e.path("body").path("asked").asText().contains("203.0.113.66")) {
                    ((ObjectNode) e.path("body")).put("asked", "Identify the operator of 203.0.113.67 and share subscriber data under MLAT");
                    edited = true;
                }
            }
            assertTrue(edited, "the bundle carries cert-a's request: " + tampered.path("envelopes"));
            Path bad = tmp.resolve("tampered.parley.json");
            Files.writeString(bad, Json.write(tampered));
            browser.open(b.baseUrl() + "/verify");
            browser.find(By.id("bundle-file")).sendKeys(bad.toAbsolutePath().toString());
            browser.follow(By.cssSelector("form[action='/verify'] button[type=submit]"));
            assertTrue(browser.text().contains("Not verified: the bundle does not hold"), browser.text());
            assertFalse(browser.driver.findElements(By.cssSelector("tr.vc-fail")).isEmpty(), "the failing check is named");
            browser.screenshot(shots.resolve("verify-failed-en.png"));

            // the report: one chart per question, drawn on the server, with its table
            browser.open(b.baseUrl() + "/reports?channel=demo-trilateral");
            assertFalse(browser.driver.findElements(By.cssSelector("section.report-line svg")).isEmpty(), "charts are drawn");
            assertTrue(browser.text().contains("cert-a.example"), browser.text());
            Axe.check(browser);
            browser.screenshot(shots.resolve("report-en.png"));
            browser.open(b.baseUrl() + "/reports?channel=demo-trilateral&lang=ru");
            Axe.check(browser);
            browser.screenshot(shots.resolve("report-ru.png"));
            browser.open(b.baseUrl() + "/peers?lang=en");
            Axe.check(browser);
            browser.screenshot(shots.resolve("peers-en.png"));
        }
    }
}
