package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.envelope.Tlp;
import io.parley.server.NodeServer;
import io.parley.testing.MutableClock;
import io.parley.testing.TestNodes;
import io.parley.timeline.Decision;
import io.parley.timeline.ReasonCode;

/**
 * A structured request reads in each desk's own language, its free text as written: cert-a opens a request in English
 * through the form; cert-b's officer reads it in Russian (type, priority, category, commitment in Russian; the English
 * summary and ask unchanged, tagged {@code lang="en"} and marked as the original) and declines it in Russian with a
 * reason code; cert-a's desk, in English, shows the decline with the code's English meaning and the Russian reason as
 * written. Real nodes, real Chromium, axe-core on every page.
 */
class CaseLanguagesTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
    NodeServer a, b;
    Browser browser;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example", null, clock);
        b = TestNodes.start(tmp, "cert-b.example", null, clock);
        TestNodes.peerAll(a, b);
        Charter c = TestNodes.charter("line", Tlp.AMBER, a, b).withPractice(new Practice(null,
                List.of(new Practice.Commitment("un-gge-2015:13h", null), new Practice.Commitment("budapest:29", null)), null, List.of()));
        TestNodes.establish(c, a, b);
        browser = Browser.start(tmp.resolve("chrome"));
        browser.signIn(a.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
        browser.signIn(b.baseUrl(), TestNodes.USER, TestNodes.PASSWORD);
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.close();
        for (NodeServer n : new NodeServer[] {a, b}) if (n != null) n.close();
    }

    @Test
    void aRequestInEnglishReadsInRussianAtThePeerAndItsRussianDeclineReadsInEnglishAtTheOpener() throws Exception {
        String summary = "DDoS from your AS64500 against our tax portal";
        String asked = "Trace the C2 behind 198.51.100.23 and tell us who operates it";

        // cert-a, in English: the form offers the structured values in English and posts their wire values
        browser.open(a.baseUrl() + "/channels/line/cases/new?lang=en");
        check();
        assertEquals("en", new Select(browser.find(By.id("lang"))).getFirstSelectedOption().getAttribute("value"), "the reader's language");
        assertEquals("Trace the source", new Select(browser.find(By.id("type"))).getOptions().stream()
                .filter(o -> "trace".equals(o.getAttribute("value"))).findFirst().orElseThrow().getText());
        new Select(browser.find(By.id("type"))).selectByValue("trace");
        new Select(browser.find(By.id("priority"))).selectByValue("urgent");
        new Select(browser.find(By.id("category"))).selectByValue("availability/ddos");
        browser.find(By.cssSelector("input[name=commitments][value='un-gge-2015:13h']")).click();
        browser.find(By.id("summary")).sendKeys(summary);
        browser.find(By.id("asked")).sendKeys(asked);
        browser.follow(By.cssSelector("form.caseform button[type=submit].btn-primary"));
        Matcher m = Pattern.compile("^/cases/([^/?]+)$").matcher(browser.path());
        assertTrue(m.matches(), browser.driver.getCurrentUrl() + ": " + browser.text());
        String id = m.group(1);
        var opened = a.cases().timeline(id).orElseThrow();
        assertEquals("trace", opened.requestType(), "the wire value, not the words");
        assertEquals(List.of("un-gge-2015:13h"), opened.norms().commitments());
        assertTrue(TestNodes.eventually(10, () -> b.cases().timeline(id).isPresent()), "the request reached cert-b");

        // cert-b, in Russian: the structured fields in Russian, the free text as written
        browser.open(b.baseUrl() + "/cases/" + id + "?channel=line&lang=ru");
        assertEquals("ru", browser.find(By.tagName("html")).getAttribute("lang"));
        assertEquals("Срочно", words(By.cssSelector(".case-head .prio")));
        assertEquals("Установление источника", words(By.cssSelector(".case-head .rtype")));
        assertEquals("Открыт", words(By.cssSelector(".case-head .state")));
        String commitment = words(By.cssSelector(".case-head .commitment[data-id='un-gge-2015:13h']"));
        assertTrue(commitment.startsWith("13(h) Отвечать на просьбы о помощи"), commitment);
        WebElement english = browser.find(By.cssSelector(".case-head .commitment[data-id='un-gge-2015:13h'] span[title]"));
        assertTrue(english.getAttribute("title").startsWith("13(h) Answer requests for help: "), "the authoritative English kept: " + english.getAttribute("title"));
        assertTrue(words(By.cssSelector(".case-head .category")).startsWith("Доступность: Распределённый отказ в обслуживании (DDoS)"));
        WebElement h1 = browser.find(By.cssSelector("h1 span[lang]"));
        assertEquals("en", h1.getAttribute("lang"));
        assertEquals(summary, h1.getText(), "the summary as written, never translated");
        WebElement ask = browser.find(By.cssSelector("#h-fields ~ dl .original[lang='en']"));
        assertEquals(asked, ask.getText());
        WebElement tag = ask.findElement(By.xpath("following-sibling::span[contains(@class,'original-tag')]"));
        assertEquals("EN · оригинал", tag.getText());
        assertEquals("Ответить по существу", words(By.cssSelector("button[formaction$='/answer']")));
        check();
        screenshot("case-ru.png");

        // cert-b declines in Russian with a reason code; the language of its reason is the reader's by default
        assertEquals("ru", new Select(browser.find(By.id("lang"))).getFirstSelectedOption().getAttribute("value"));
        List<String> codes = new Select(browser.find(By.id("reason_code"))).getOptions().stream().map(WebElement::getText).toList();
        assertTrue(codes.contains("Правовое препятствие"), codes.toString());
        browser.find(By.cssSelector("input[name=decision][value=decline]")).click();
        new Select(browser.find(By.id("reason_code"))).selectByValue("legal-obstacle");
        String reason = "Нужен официальный запрос по линии МИД";
        browser.find(By.id("reason")).sendKeys(reason);
        browser.follow(By.cssSelector("button[formaction$='/ack']"));
        var response = b.cases().timeline(id).orElseThrow().responses().get("cert-b.example");
        assertNotNull(response, browser.text());
        assertEquals(Decision.Choice.DECLINE, response.decision().choice());
        assertEquals(ReasonCode.LEGAL_OBSTACLE, response.decision().reasonCode());
        assertEquals("ru", response.decision().lang(), "the reason is tagged with the language it was written in");
        assertEquals("Отклонён", words(By.cssSelector(".decision-decline")));

        // cert-a, in English: the decline in English words, the reason in Russian as written
        browser.open(a.baseUrl() + "/cases/" + id + "?channel=line&lang=en");
        assertTrue(browser.refreshUntil(15, () -> !browser.driver.findElements(By.cssSelector(".decision-decline")).isEmpty()), "the decline reached cert-a");
        assertEquals("Declined", words(By.cssSelector(".decision-decline")));
        assertEquals("Legal obstacle: " + ReasonCode.LEGAL_OBSTACLE.label(), words(By.cssSelector(".reason-code")));
        WebElement quoted = browser.find(By.cssSelector("td.decision blockquote.original"));
        assertEquals("ru", quoted.getAttribute("lang"));
        assertEquals(reason, quoted.getText());
        assertEquals("RU · original", quoted.findElement(By.xpath("following-sibling::span[contains(@class,'original-tag')]")).getText());
        assertEquals("Declined", words(By.cssSelector(".case-head .state")), "every party asked declined");
        assertEquals("Urgent", words(By.cssSelector(".case-head .prio")));
        check();
        screenshot("case-en.png");

        // and in Arabic, right to left, with the free text still as written
        browser.open(a.baseUrl() + "/cases/" + id + "?channel=line&lang=ar");
        assertEquals("rtl", browser.find(By.tagName("html")).getAttribute("dir"));
        assertEquals("عاجل", words(By.cssSelector(".case-head .prio")));
        assertEquals(reason, words(By.cssSelector("td.decision blockquote.original")));
        check();
        screenshot("case-ar.png");

        // the channel page in Russian lists the charter's commitments in Russian with the English kept
        browser.open(b.baseUrl() + "/channels/line?lang=ru");
        WebElement listed = browser.find(By.cssSelector("ul.commitments li[data-id='budapest:29'] strong"));
        assertEquals("Ст. 29 Оперативное обеспечение сохранности данных", listed.getText());
        assertTrue(listed.getAttribute("title").startsWith("Art. 29 Expedited preservation"), listed.getAttribute("title"));
        check();
        screenshot("channel-ru.png");

        // the new-case form in Russian: Russian words, wire values, Russian as the default language of the text
        browser.open(b.baseUrl() + "/channels/line/cases/new");
        assertEquals("Сохранение данных", words(By.cssSelector("#type option[value=preservation]")));
        assertTrue(words(By.cssSelector("#priority option[value=flash]")).startsWith("Молния"));
        assertEquals("ru", new Select(browser.find(By.id("lang"))).getFirstSelectedOption().getAttribute("value"));
        check();
        screenshot("newcase-ru.png");
    }

    /** An element's words as written in the page (the stylesheet may show badges in capitals). */
    String words(By by) {
        return browser.find(by).getAttribute("textContent").replaceAll("\\s+", " ").strip();
    }

    void check() {
        Axe.check(browser);
    }

    void screenshot(String name) throws Exception {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        browser.screenshot(dir.resolve(name));
    }
}
