package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import io.parley.auth.Passwords;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.server.NodeServer;
import io.parley.testing.Fixtures;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.testing.WebSessions;
import io.parley.web.i18n.LanguageChoice;

/**
 * The desk in the reader's language, in headless Chromium on a real node: English by default, Russian and Arabic (right
 * to left) by {@code ?lang=}, French chosen on the account page and kept by the account into a new session, the sign-in
 * page in the browser's language before anyone is known, an unknown language ignored; and the language setting's form
 * refused without its CSRF token (403) or a session (401), changing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LanguageTest {
    @TempDir static Path tmp;
    static final String CH = "lang-ch";
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T08:00:00Z"));
    NodeServer node;
    Browser browser;

    @BeforeAll
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-l.example", null, clock);
        SigningKey peer = SigningKey.generate("peer-m");
        TestNodes.activate(node, Fixtures.charter(CH, Tlp.AMBER, node.node().key(), peer), peer);
        assertTrue(TestNodes.eventually(10, () -> node.node().charters().active(CH)));
        var opened = TestNodes.post(node, "/api/v1/channels/" + CH + "/cases", "{\"kind\":\"request\",\"priority\":\"urgent\",\"tlp\":\"amber\","
                + "\"body\":{\"summary\":\"Botnet C2 at 192.0.2.7\",\"type\":\"mitigation\",\"asked\":\"take the C2 down\"}}");
        assertEquals(201, opened.statusCode(), opened.body());
        clock.advance(Duration.ofMinutes(20)); // its acknowledgement (15 min) is overdue: the desk shows a red row
        browser = Browser.start(tmp.resolve("chrome"));
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (node != null) node.close();
    }

    @Test
    void theDeskInEnglishRussianAndArabicAndAChosenLanguageKeptByTheAccount() throws Exception {
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        browser.signIn(node.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
        browser.open(node.baseUrl() + "/");
        assertEquals("en", attr("html", "lang"));
        assertEquals("ltr", attr("html", "dir"));
        assertEquals("Cases needing attention", browser.find(By.id("h-attention")).getText());
        assertTrue(browser.driver.getPageSource().contains("overdue by 5m"), browser.text());
        axe();
        browser.screenshot(shots.resolve("language-dashboard-en.png"));

        browser.open(node.baseUrl() + "/?lang=ru");
        assertEquals("ru", attr("html", "lang"));
        assertEquals("Дела, требующие внимания", browser.find(By.id("h-attention")).getText());
        assertEquals("Каналы", browser.find(By.id("h-channels")).getText());
        assertEquals("Журнал прозрачности", browser.find(By.id("h-log")).getText());
        String ru = browser.driver.getPageSource(); // as written, not as the stylesheet capitalises flags
        assertTrue(ru.contains("Просрочено") && ru.contains("Срочно") && ru.contains("Подтверждение получения") && ru.contains("просрочено на 5"), ru);
        assertFalse(ru.contains("Cases needing attention") || ru.contains("Peers and lines"), "no English left on the desk: " + ru);
        assertTrue(browser.find(By.cssSelector(".tlp")).getAttribute("title").startsWith("TLP:AMBER: ограниченное распространение"),
                "the badge keeps its wire text; its meaning is in Russian");
        axe();
        browser.screenshot(shots.resolve("language-dashboard-ru.png"));

        browser.open(node.baseUrl() + "/?lang=ar");
        assertEquals("ar", attr("html", "lang"));
        assertEquals("rtl", attr("html", "dir"));
        assertEquals("قضايا تحتاج إلى متابعة", browser.find(By.id("h-attention")).getText());
        axe();
        browser.screenshot(shots.resolve("language-dashboard-ar.png"));

        // French, chosen on the account page
        browser.open(node.baseUrl() + "/account");
        assertEquals("ar", attr("html", "lang"), "?lang= saved the choice to the account");
        new Select(browser.find(By.id("lang"))).selectByValue("fr");
        axe();
        browser.follow(By.cssSelector("form[action='/account/language'] button[type=submit]"));
        assertEquals("/account", browser.path());
        assertEquals("fr", attr("html", "lang"));
        assertEquals("ltr", attr("html", "dir"));
        assertTrue(browser.text().contains("Langue enregistrée"), browser.text());
        assertEquals("fr", new Select(browser.find(By.id("lang"))).getFirstSelectedOption().getAttribute("value"));
        assertEquals(Optional.of("fr"), node.node().users().language(TestNodes.USER));
        browser.screenshot(shots.resolve("language-account-fr.png"));
        assertTrue(node.node().audit().list(new io.parley.audit.AuditQuery(0, 0, TestNodes.USER, "user-changed", 10, true)).stream()
                .anyMatch(r -> r.detail().contains("now fr")), "the setting is on the audit trail");

        // a new session, in a browser that forgot its language cookie: the account brings French back
        browser.follow(By.cssSelector("form.signout button"));
        assertEquals("/login", browser.path());
        browser.driver.manage().deleteCookieNamed(LanguageChoice.COOKIE);
        browser.open(node.baseUrl() + "/login");
        assertEquals("en", attr("html", "lang"), "before sign-in, the browser's language (en-GB)");
        browser.signIn(node.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
        browser.open(node.baseUrl() + "/");
        assertEquals("fr", attr("html", "lang"));
        assertEquals("Dossiers à traiter", browser.find(By.id("h-attention")).getText());

        // an unknown language is no language: ignored, the page is served as before
        browser.open(node.baseUrl() + "/?lang=xx");
        assertEquals("fr", attr("html", "lang"));
        assertEquals("Dossiers à traiter", browser.find(By.id("h-attention")).getText());
        assertEquals(Optional.of("fr"), node.node().users().language(TestNodes.USER));
    }

    @Test
    void theSignInPageFollowsTheBrowsersLanguageAndAnUnknownOneIsNoError() throws Exception {
        var ru = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/login")).header("Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5").GET().build());
        assertEquals(200, ru.statusCode());
        assertTrue(ru.body().contains("<html lang=\"ru\" dir=\"ltr\">"), ru.body());
        assertTrue(ru.body().contains("Имя пользователя") && ru.body().contains("Войти"), ru.body());
        var ar = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/login")).header("Accept-Language", "ar").GET().build());
        assertTrue(ar.body().contains("<html lang=\"ar\" dir=\"rtl\">"), ar.body());
        var unknown = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/login?lang=xx")).header("Accept-Language", "de").GET().build());
        assertEquals(200, unknown.statusCode());
        assertTrue(unknown.body().contains("<html lang=\"en\""), "neither language is one of the six: English");
        assertTrue(unknown.headers().allValues("Set-Cookie").stream().noneMatch(c -> c.startsWith(LanguageChoice.COOKIE + "=")), "nothing remembered");
        // a wrong password, answered in Russian too
        var wrong = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/login")).header("Accept-Language", "ru")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("username=desk&password=nope")).build());
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("Неизвестный пользователь или неверный пароль."), wrong.body());
    }

    @Test
    void theLanguageFormIsRefusedWithoutItsTokenOrASessionAndChangesNothing() throws Exception {
        node.node().users().put("lang-viewer", Passwords.hash("lang-viewer-pw"), "viewer", clock.instant());
        String cookie = WebSessions.signIn(node, "lang-viewer", "lang-viewer-pw");
        Optional<String> before = node.node().users().language("lang-viewer");

        // a hostile page posting the form in the officer's browser: no token, or another session's token
        var forged = WebSessions.form(node, "/account/language", cookie, "lang=ru");
        assertEquals(403, forged.statusCode());
        String othersToken = WebSessions.csrf(node, WebSessions.signIn(node), "/account");
        assertEquals(403, WebSessions.form(node, "/account/language", cookie, "lang=ru&csrf=" + othersToken).statusCode());
        assertEquals(before, node.node().users().language("lang-viewer"), "nothing changed");

        var anonymous = WebSessions.form(node, "/account/language", null, "lang=ru");
        assertEquals(401, anonymous.statusCode());
        assertEquals(303, WebSessions.get(node, null, "/account").statusCode(), "the page itself sends to sign-in");

        // a viewer may set its own language, which is one of the six, and touches no one else's
        String token = WebSessions.csrf(node, cookie, "/account");
        var odd = WebSessions.form(node, "/account/language", cookie, "lang=de&csrf=" + token);
        assertEquals(422, odd.statusCode());
        assertEquals(before, node.node().users().language("lang-viewer"));
        Optional<String> officers = node.node().users().language(TestNodes.USER);
        var saved = WebSessions.form(node, "/account/language", cookie, "lang=zh&csrf=" + token);
        assertEquals(303, saved.statusCode(), saved.body());
        assertEquals(Optional.of("zh"), node.node().users().language("lang-viewer"));
        assertEquals(officers, node.node().users().language(TestNodes.USER));
        HttpResponse<String> page = WebSessions.get(node, cookie, "/account?done=language");
        assertTrue(page.body().contains("<html lang=\"zh\""), page.body());
    }

    private String attr(String tag, String name) {
        return browser.find(By.tagName(tag)).getAttribute(name);
    }

    /** axe-core on the current page, in the language it is shown in: no serious or critical finding. */
    private void axe() {
        Axe.check(browser);
    }
}
