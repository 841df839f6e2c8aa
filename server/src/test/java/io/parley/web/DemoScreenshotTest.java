package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import io.parley.server.DemoNetwork;
import io.parley.server.NodeServer;

/**
 * The demo network in a real browser, saved as pictures for people to look at: the duty desk of cert-b (which owes a
 * response to an overdue flash request), that case's page, its channel's page and the new-case form.
 */
class DemoScreenshotTest {
    static final Path DASHBOARD = Path.of("/tmp/parley-ui-dashboard.png");
    static final Path CASE = Path.of("/tmp/parley-ui-case.png");
    static final Path CHANNEL = Path.of("/tmp/parley-ui-channel.png");
    static final Path NEW_CASE = Path.of("/tmp/parley-ui-newcase.png");
    static final Path ACCOUNT = Path.of("/tmp/parley-ui-account.png");

    @TempDir Path tmp;

    @Test
    void dashboardAndCasePageOfTheDemoNetwork() throws Exception {
        try (DemoNetwork demo = DemoNetwork.start(tmp.resolve("demo"), 0, Clock.systemUTC());
             Browser browser = Browser.start(tmp.resolve("chrome"))) {
            NodeServer b = demo.nodes().get(1);
            String overdueId = io.parley.server.DemoNetworkTest.seeded(demo.nodes().get(0), "Trace C2 of wiper");
            // the deadline clock escalates the overdue request within a second or two of start
            assertTrue(io.parley.testing.TestNodes.eventually(15, () -> b.node().envelopes().inCase("demo-trilateral", overdueId).stream()
                    .anyMatch(s -> s.envelope().kind() == io.parley.envelope.Kind.ESCALATE)), "the overdue request escalated");

            browser.signIn(b.baseUrl(), DemoNetwork.USER, demo.password());
            assertEquals("/", browser.path());
            String desk = browser.text();
            assertTrue(desk.contains("cert-b.example"), desk);
            assertTrue(desk.contains(b.node().key().verifierKey().fingerprint()), "the node's fingerprint is shown");
            var overdue = browser.find(By.cssSelector("a[href^='/cases/" + overdueId + "']")).findElement(By.xpath("ancestor::tr"));
            assertTrue(overdue.getAttribute("class").contains("row-overdue"), overdue.getAttribute("class"));
            assertTrue(desk.contains("demo-trilateral") && desk.contains("demo-a-b"), desk);
            browser.screenshot(DASHBOARD);

            browser.follow(By.cssSelector("a[href^='/cases/" + overdueId + "']"));
            assertEquals("/cases/" + overdueId, browser.path());
            String page = browser.text();
            assertTrue(page.contains("Trace C2 of wiper hitting our energy grid operator"), page);
            assertTrue(page.contains("Escalations"), page);
            assertFalse(browser.driver.findElements(By.cssSelector("button[formaction$='/ack']")).isEmpty(), "cert-b may acknowledge");
            browser.screenshot(CASE);

            browser.follow(By.cssSelector(".crumbs a[href='/channels/demo-trilateral']"));
            String channel = browser.text();
            assertTrue(channel.contains("Responsiveness, last 30 days") && channel.contains("ministry level"), channel);
            browser.screenshot(CHANNEL);
            browser.follow(By.linkText("New case…"));
            assertEquals("/channels/demo-trilateral/cases/new", browser.path());
            browser.screenshot(NEW_CASE);

            browser.open(b.baseUrl() + "/account");
            browser.find(By.id("token-label")).sendKeys("SIEM pull (OpenCTI)");
            browser.follow(By.cssSelector("form[action='/account/tokens'] button"));
            assertTrue(browser.find(By.id("new-token")).getText().startsWith("parley_"), browser.text());
            assertTrue(browser.text().contains("SIEM pull (OpenCTI)") && browser.text().contains("Revoke"), browser.text());
            browser.screenshot(ACCOUNT);
        }
        assertTrue(Files.size(DASHBOARD) > 10_000 && Files.size(CASE) > 10_000);
    }
}
