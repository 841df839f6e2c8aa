package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;

/**
 * The case page's courtesy translation form on two real nodes in headless Chromium: cert-b's officer, reading the desk
 * in Russian, translates cert-a's English request; both case pages show the translation next to the original, marked
 * as cert-b's and not authoritative, and the original unchanged; a refusal is said in the reader's language; the
 * route's guards (no session, no CSRF token, a viewer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TranslationFormTest {
    @TempDir static Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;
    Browser browser;
    static final String SUMMARY = "Phishing kit imitating our tax portal";
    static final String RU = "Фишинговый набор, имитирующий наш налоговый портал";
    /** Where the screenshots go, to be looked at (under target/, not committed). */
    static final Path SHOTS = Path.of("target/screenshots");

    @BeforeAll
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        TestNodes.establish(TestNodes.charter("ui", Tlp.AMBER, a, b), a, b);
        b.node().users().put("watcher", io.parley.auth.Passwords.hash(TestNodes.PASSWORD), "viewer", Instant.now());
        browser = Browser.start(tmp.resolve("chrome"));
        browser.signIn(a.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
        browser.signIn(b.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    String open() throws Exception {
        String id = a.cases().open("ui", Kind.REQUEST, Priority.URGENT, Tlp.AMBER, Json.object().put("type", "mitigation").put("summary", SUMMARY)
                .put("asked", "Suspend hosting at 198.51.100.23").put("text", "Seen since 06:00 UTC.").put("lang", "en")).caseId();
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()));
        return id;
    }

    /** Axe on the current page; the frame's three known rule ids are the a11y helper's to fix. */
    void axe(String page) {
        List<String> found = Axe.violations(browser).stream()
                .filter(v -> !v.startsWith("color-contrast") && !v.startsWith("link-in-text-block") && !v.startsWith("meta-refresh")).toList();
        assertTrue(found.isEmpty(), page + ": " + found);
    }

    @Test
    void anOfficerTranslatesTheOtherSidesRequestAndBothPagesShowItBesideTheOriginal() throws Exception {
        String id = open();
        String original = b.cases().timeline(id).orElseThrow().openingHash();
        browser.open(b.baseUrl() + "/cases/" + id + "?channel=ui&lang=ru");
        WebElement summary = browser.find(By.cssSelector("#tr-" + original + " details.translate > summary"));
        assertEquals("Добавить неофициальный перевод", summary.getText());
        summary.click();
        assertEquals("ru", browser.find(By.id("tr-lang-" + original)).getAttribute("value"), "the reader's language is suggested");
        browser.screenshot(SHOTS.resolve("translation-form-ru.png"));
        // the same language as the original: refused, said in Russian, nothing signed
        browser.find(By.id("tr-lang-" + original)).clear();
        browser.find(By.id("tr-lang-" + original)).sendKeys("en");
        browser.find(By.id("tr-text-" + original)).sendKeys("Phishing kit");
        browser.follow(By.cssSelector("#tr-" + original + " button[type=submit]"));
        assertTrue(TestNodes.eventually(10, () -> browser.text().contains("Не отправлено: оригинал уже на этом языке")), browser.text());
        assertTrue(b.cases().timeline(id).orElseThrow().events().stream().allMatch(e -> e.translations().isEmpty()));

        browser.open(b.baseUrl() + "/cases/" + id + "?channel=ui&lang=ru");
        browser.find(By.cssSelector("#tr-" + original + " details.translate > summary")).click();
        browser.find(By.id("tr-text-" + original)).sendKeys(RU);
        // the form's page is already /cases/{id}: wait for the answer page to replace it, not for the path
        browser.follow(By.cssSelector("#tr-" + original + " button[type=submit]"));
        assertTrue(browser.path().startsWith("/cases/" + id), browser.path());
        WebElement shown = browser.find(By.cssSelector("#tr-" + original + " .courtesy"));
        assertTrue(shown.getText().contains(RU), shown.getText());
        assertTrue(shown.getText().contains("Неофициальный перевод") && shown.getText().contains("cert-b.example"), shown.getText());
        assertEquals("ru", browser.find(By.cssSelector("#tr-" + original + " .courtesy-text")).getAttribute("lang"));
        axe("case page in Russian with a translation");
        browser.screenshot(SHOTS.resolve("translation-b-ru.png"));

        // at cert-a, in English: the original as written, then b's translation, not authoritative
        String page = a.baseUrl() + "/cases/" + id + "?channel=ui&lang=en";
        browser.open(page);
        assertTrue(browser.refreshUntil(10, () -> !browser.driver.findElements(By.cssSelector("#tr-" + original + " .courtesy")).isEmpty()), browser.text());
        WebElement cell = browser.find(By.cssSelector("#tr-" + original)).findElement(By.xpath("ancestor::td"));
        String text = cell.getText();
        assertTrue(text.indexOf(SUMMARY) >= 0 && text.indexOf(SUMMARY) < text.indexOf(RU), "the original first, the translation beside it: " + text);
        assertTrue(text.contains("Courtesy translation") && text.contains("into Russian [ru] by cert-b.example, not authoritative"), text);
        axe("case page in English with a translation");
        browser.screenshot(SHOTS.resolve("translation-a-en.png"));
        browser.open(a.baseUrl() + "/cases/" + id + "?channel=ui&lang=ar");
        assertTrue(browser.find(By.cssSelector("#tr-" + original + " .courtesy")).getText().contains("غير رسمية"));
        axe("case page in Arabic with a translation");
        browser.screenshot(SHOTS.resolve("translation-a-ar.png"));
        browser.open(a.baseUrl() + "/cases/" + id + "?channel=ui&lang=en");
    }

    @Test
    void theRouteRefusesCallersWithoutASessionATokenOrThePermission() throws Exception {
        String id = open();
        String original = b.cases().timeline(id).orElseThrow().openingHash();
        String form = "&channel=ui&of=" + original + "&lang=ru&text=" + WebSessions.enc(RU);
        var anonymous = WebSessions.form(b, "/cases/" + id + "/translations", null, "csrf=x" + form);
        assertEquals(401, anonymous.statusCode());
        String duty = WebSessions.signIn(b);
        assertEquals(403, WebSessions.form(b, "/cases/" + id + "/translations", duty, "csrf=forged" + form).statusCode(), "no CSRF token, nothing done");
        String viewer = WebSessions.signIn(b, "watcher", TestNodes.PASSWORD);
        String page = "/cases/" + id + "?channel=ui";
        var refused = WebSessions.form(b, "/cases/" + id + "/translations", viewer, "csrf=" + WebSessions.enc(WebSessions.csrf(b, viewer, page)) + form);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(b.cases().timeline(id).orElseThrow().events().stream().allMatch(e -> e.translations().isEmpty()), "nothing was signed");
        var done = WebSessions.form(b, "/cases/" + id + "/translations", duty, "csrf=" + WebSessions.enc(WebSessions.csrf(b, duty, page)) + form);
        assertEquals(303, done.statusCode(), done.body());
        assertTrue(done.headers().firstValue("Location").orElse("").endsWith("#tr-" + original));
        assertEquals(1, b.cases().timeline(id).orElseThrow().events().get(0).translations().size());
    }
}
