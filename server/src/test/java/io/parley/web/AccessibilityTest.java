package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import io.parley.auth.Passwords;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;
import io.parley.web.i18n.Lang;

/**
 * Every page of the desk in real Chromium, on two real nodes with a charter, an acknowledged and a declined case, in
 * English, Russian and Arabic: axe-core finds no serious or critical violation; the desk stays current without a timed
 * reload (its script brings in a case the peer opened, and stops while paused); a keyboard reaches the skip link first,
 * then the navigation, with a visible focus ring; and Arabic lays the frame out right to left with fingerprints kept
 * left to right.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessibilityTest {
    /**
     * Every signed-in page of the desk, as a path whose {placeholders} the fixture fills. A page added to the desk is
     * added here, and every check below then covers it in every language of {@link #LANGUAGES}.
     */
    static final List<Page> PAGES = List.of(
            new Page("dashboard", "/"),
            new Page("acknowledged case", "/cases/{acked}?channel=ui"),
            new Page("declined case", "/cases/{declined}?channel=ui"),
            new Page("channel", "/channels/ui"),
            new Page("new case", "/channels/ui/cases/new"),
            new Page("account", "/account"),
            new Page("users", "/users"),
            new Page("audit trail", "/audit"),
            new Page("evidence", "/cases/{acked}/evidence?channel=ui"),
            new Page("verify", "/verify"),
            new Page("report", "/reports?channel=ui"),
            new Page("peers", "/peers"),
            new Page("peer", "/peers/cert-a.example"),
            new Page("administration", "/admin"),
            new Page("error page", "/cases/no-such-case?channel=ui"));

    /** English and Russian, the two sides of the line, and Arabic, the one written right to left. */
    static final List<Lang> LANGUAGES = List.of(Lang.EN, Lang.RU, Lang.AR);

    record Page(String name, String path) {
        String in(Map<String, String> fixture, Lang lang) {
            String p = path;
            for (var e : fixture.entrySet()) p = p.replace("{" + e.getKey() + "}", e.getValue());
            return p + (p.contains("?") ? "&" : "?") + "lang=" + lang.code();
        }
    }

    static final String ADMIN = "chief", ADMIN_PASSWORD = "chief-password-1";
    static final String SECOND = "second", SECOND_PASSWORD = "second-password-1";

    @TempDir static Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;
    Browser browser;
    final Map<String, String> fixture = new java.util.HashMap<>();

    @BeforeAll
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        TestNodes.establish(TestNodes.charter("ui", Tlp.AMBER, a, b), a, b);
        String acked = open("Scanner in your range, please trace");
        assertInstanceOf(io.parley.envelope.Verdict.Accepted.class,
                b.cases().respond("ui", acked, Kind.ACK, Json.object().put("decision", "accept"), TestNodes.USER));
        String declined = open("Takedown of a news site");
        assertInstanceOf(io.parley.envelope.Verdict.Accepted.class, b.cases().respond("ui", declined, Kind.ACK, Json.object()
                .put("decision", "decline").put("reason_code", "legal-obstacle").put("reason", "Нужен официальный запрос").put("lang", "ru"), TestNodes.USER));
        assertTrue(TestNodes.eventually(10, () -> a.cases().timeline(declined).map(t -> t.responses().containsKey("cert-b.example")).orElse(false)));
        fixture.put("acked", acked);
        fixture.put("declined", declined);

        b.node().users().put(ADMIN, Passwords.hash(ADMIN_PASSWORD), "admin", clock.instant());
        a.node().users().put(SECOND, Passwords.hash(SECOND_PASSWORD), "viewer", clock.instant());
        browser = Browser.start(tmp.resolve("chrome"));
        browser.signIn(b.baseUrl(), ADMIN, ADMIN_PASSWORD);
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    String open(String summary) throws InterruptedException {
        String id = a.cases().open("ui", Kind.REQUEST, Priority.FLASH, Tlp.AMBER, Json.object().put("type", "trace").put("summary", summary)
                .put("asked", "Identify the operator of 203.0.113.66")).caseId();
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()), "the case reached cert-b");
        return id;
    }

    @Test
    void everyPagePassesAxeInEnglishRussianAndArabic() {
        List<String> failures = new ArrayList<>();
        for (Lang lang : LANGUAGES) {
            for (Page page : PAGES) {
                browser.open(b.baseUrl() + page.in(fixture, lang));
                assertEquals(lang.code(), browser.find(By.tagName("html")).getAttribute("lang"), page.name());
                assertEquals(lang.dir(), browser.find(By.tagName("html")).getAttribute("dir"), page.name());
                List<String> v = Axe.violations(browser);
                if (!v.isEmpty()) failures.add(page.name() + " [" + lang.code() + "] " + browser.driver.getCurrentUrl() + ":\n    " + String.join("\n    ", v));
            }
        }
        assertTrue(failures.isEmpty(), "axe-core:\n  " + String.join("\n  ", failures));
    }

    /** The sign-in form and the second-factor step, on the node the browser is not signed in to. */
    @Test
    void signInPagesPassAxeInEnglishRussianAndArabic() throws Exception {
        a.node().secondFactor().enrolNow(SECOND);
        for (Lang lang : LANGUAGES) {
            browser.open(a.baseUrl() + "/login?lang=" + lang.code());
            assertEquals(lang.dir(), browser.find(By.tagName("html")).getAttribute("dir"));
            Axe.check(browser);
            browser.fillSignIn(SECOND, SECOND_PASSWORD);
            assertTrue(TestNodes.eventually(10, () -> browser.path().equals("/login/code")), browser.driver.getCurrentUrl());
            assertTrue(browser.find(By.id("code")).isDisplayed());
            Axe.check(browser);
        }
    }

    @Test
    void theDeskHasNoTimedReloadAndItsScriptBringsInACaseThePeerOpened() throws Exception {
        browser.open(b.baseUrl() + "/?lang=en");
        assertTrue(browser.driver.findElements(By.cssSelector("meta[http-equiv]")).isEmpty(), "no meta refresh");
        WebElement bar = browser.find(By.cssSelector("[data-refresh-seconds]"));
        assertEquals("60", bar.getAttribute("data-refresh-seconds"), "once a minute");
        assertEquals("running", bar.getAttribute("data-state"), "the script runs (served by the node, allowed by its policy)");
        WebElement pause = browser.find(By.cssSelector(".autorefresh button"));
        assertTrue(pause.isDisplayed(), "a visible pause control");
        // the page's own document, marked: a reload would lose the mark
        browser.driver.executeScript("window.parleyMark = 'same page'; document.querySelector('[data-refresh-seconds]').dataset.refreshSeconds = '1';");

        String arrived = open("Wiper beacon seen from your AS");
        assertTrue(TestNodes.eventually(20, () -> !browser.driver.findElements(By.cssSelector("#live a[href^='/cases/" + arrived + "?']")).isEmpty()),
                "the desk brought in the new case by itself");
        assertEquals("same page", browser.driver.executeScript("return window.parleyMark"), "without a reload");
        assertTrue(TestNodes.eventually(5, () -> browser.find(By.id("live-news")).getAttribute("textContent").contains("Wiper beacon seen from your AS")),
                "announced politely: " + browser.find(By.id("live-news")).getAttribute("textContent"));
        assertEquals("polite", browser.find(By.id("live-news")).getAttribute("aria-live"));

        assertEquals("Pause updates", pause.getText());
        pause.click();
        assertEquals("paused", bar.getAttribute("data-state"));
        assertEquals("Resume updates", pause.getText(), "the control says what it will do");
        assertTrue(bar.getText().contains("Updates paused"), "and the bar says the desk is paused: " + bar.getText());
        String held = open("Held back while paused");
        long ticks = ticks();
        assertTrue(TestNodes.eventually(10, () -> ticks() >= ticks + 3), "three one-second intervals pass");
        assertTrue(browser.driver.findElements(By.cssSelector("#live a[href^='/cases/" + held + "?']")).isEmpty(), "nothing comes in while paused");
        pause.click();
        assertEquals("running", bar.getAttribute("data-state"));
        assertEquals("Pause updates", pause.getText());
        assertTrue(TestNodes.eventually(10, () -> !browser.driver.findElements(By.cssSelector("#live a[href^='/cases/" + held + "?']")).isEmpty()),
                "resumed: it comes in");

        // focus inside a form (here the sign-out button's): the desk holds still, and catches up once focus leaves
        browser.driver.executeScript("arguments[0].focus()", browser.find(By.cssSelector("form.signout button")));
        assertTrue(TestNodes.eventually(5, () -> "held".equals(bar.getAttribute("data-state"))), bar.getAttribute("data-state"));
        String typed = open("Arrived while the officer was in a form");
        long before = ticks();
        assertTrue(TestNodes.eventually(10, () -> ticks() >= before + 3));
        assertTrue(browser.driver.findElements(By.cssSelector("#live a[href^='/cases/" + typed + "?']")).isEmpty(), "not while in a form");
        browser.driver.executeScript("document.activeElement.blur()");
        assertTrue(TestNodes.eventually(10, () -> !browser.driver.findElements(By.cssSelector("#live a[href^='/cases/" + typed + "?']")).isEmpty()),
                "out of the form: it comes in");
        assertEquals("same page", browser.driver.executeScript("return window.parleyMark"));
    }

    /** A screenshot once the page has laid out (DevTools may report no size for a moment after a load). */
    void shot(Path file) throws InterruptedException {
        assertTrue(TestNodes.eventually(10, () -> {
            try {
                browser.screenshot(file);
                return true;
            } catch (org.openqa.selenium.WebDriverException | java.io.IOException e) {
                return false;
            }
        }), "screenshot " + file);
    }

    long ticks() {
        return Long.parseLong(browser.find(By.cssSelector("[data-refresh-seconds]")).getAttribute("data-ticks"));
    }

    @Test
    void withoutScriptTheDeskOffersARefreshLink() throws Exception {
        String html = WebSessions.get(b, WebSessions.signIn(b), "/?lang=en").body();
        assertFalse(html.contains("http-equiv"), "no timed reload");
        assertTrue(html.contains("<script src=\"/ui/desk.js\" defer></script>"), html);
        assertTrue(html.matches("(?s).*<a class=\"[^\"]*\" href=\"/\\?lang=en\">Refresh</a>.*"), "a plain link reloads the desk: " + html);
        var csp = TestNodes.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(b.baseUrl() + "/ui/desk.js")).build());
        assertEquals(200, csp.statusCode());
        assertTrue(csp.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), csp.headers().toString());
        assertEquals("nosniff", csp.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    /**
     * Opens {@code url}, presses Tab once and returns what took the focus: the skip link, or the test fails. Under load
     * Chromium can take a Tab sent in the instant after a load before the page has the focus (the Tab then goes
     * nowhere); the page is opened again until a Tab reaches it, and what it reaches must be the skip link.
     */
    private WebElement firstTab(String url) throws InterruptedException {
        WebElement[] focused = new WebElement[1];
        boolean reached = TestNodes.eventually(10, () -> {
            browser.open(url);
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            focused[0] = browser.driver.switchTo().activeElement();
            return !"body".equalsIgnoreCase(focused[0].getTagName());
        });
        assertTrue(reached, "a Tab reaches the page");
        assertTrue(String.valueOf(focused[0].getAttribute("class")).contains("skip"), "the skip link first: " + focused[0].getAttribute("outerHTML"));
        return focused[0];
    }

    @Test
    void keyboardReachesTheSkipLinkFirstThenTheNavigationWithAVisibleFocusRing() throws Exception {
        WebElement first = firstTab(b.baseUrl() + "/?lang=en");
        assertEquals("#main", first.getAttribute("href").replaceFirst("^.*(#main)$", "$1"), "the skip link first: " + first.getAttribute("outerHTML"));
        assertTrue(first.isDisplayed() && first.getRect().getWidth() > 1, "the skip link shows when focused");
        assertNotEquals("none", first.getCssValue("outline-style"), "a focus ring");
        boolean nav = false;
        for (int i = 0; i < 20 && !nav; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            WebElement f = browser.driver.switchTo().activeElement();
            assertNotEquals("none", f.getCssValue("outline-style"), "a focus ring on " + f.getAttribute("outerHTML"));
            assertFalse((Boolean) browser.driver.executeScript("return !!arguments[0].closest('main')", f), "the frame comes before the content");
            nav = (Boolean) browser.driver.executeScript("return !!arguments[0].closest('nav.nav')", f);
        }
        assertTrue(nav, "the main navigation is reached from the top");

        // the skip link moves on to the content
        WebElement skip = firstTab(b.baseUrl() + "/?lang=en");
        skip.sendKeys(Keys.ENTER);
        // Chromium moves the sequential focus start to the target at once, but may report document.activeElement a beat
        // later under load: what the officer relies on is that the next Tab lands in the content, checked below
        assertTrue(TestNodes.eventually(5, () -> "main".equals(browser.driver.switchTo().activeElement().getAttribute("id"))
                        || "#main".equals(browser.driver.executeScript("return location.hash"))),
                "the skip link was followed: " + browser.driver.switchTo().activeElement().getAttribute("outerHTML"));
        new Actions(browser.driver).sendKeys(Keys.TAB).perform();
        WebElement inMain = browser.driver.switchTo().activeElement();
        assertTrue((Boolean) browser.driver.executeScript("return !!arguments[0].closest('main')", inMain), inMain.getAttribute("outerHTML"));
        assertNotEquals("none", inMain.getCssValue("outline-style"));
    }

    @Test
    void arabicLaysTheFrameOutRightToLeftAndKeepsFingerprintsLeftToRight() throws Exception {
        browser.open(b.baseUrl() + "/?lang=ar");
        int width = browser.find(By.tagName("body")).getRect().getWidth();
        WebElement brand = browser.find(By.cssSelector(".brand"));
        assertTrue(brand.getRect().getX() > width / 2, "the brand is on the right: x=" + brand.getRect().getX() + " of " + width);
        WebElement fp = browser.find(By.cssSelector(".masthead .fp"));
        assertEquals("ltr", fp.getCssValue("direction"), "a fingerprint reads left to right");
        assertEquals(b.node().key().verifierKey().fingerprint(), fp.getText());
        WebElement firstHeader = browser.find(By.cssSelector("table.cases th"));
        assertEquals("start", firstHeader.getCssValue("text-align"), "headers align to the start of the line (the right)");
        WebElement current = browser.find(By.cssSelector("nav.langs [aria-current='true']"));
        assertEquals("ar", current.getAttribute("lang"));
        assertNotEquals(browser.find(By.cssSelector("nav.langs a:not([aria-current])")).getCssValue("border-top-style"), current.getCssValue("border-top-style"),
                "the current language is marked by a border, not by colour alone");
        Path shots = Path.of("target/screenshots");
        java.nio.file.Files.createDirectories(shots);
        for (Lang lang : LANGUAGES) {
            browser.open(b.baseUrl() + "/?lang=" + lang.code());
            shot(shots.resolve("dashboard-" + lang.code() + ".png"));
        }
        browser.open(b.baseUrl() + PAGES.get(2).in(fixture, Lang.AR));
        shot(shots.resolve("case-ar.png"));
        browser.open(b.baseUrl() + "/?lang=en"); // the account's language back to English for the other tests
    }
}
