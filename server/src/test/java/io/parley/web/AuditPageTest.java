package io.parley.web;

import static org.junit.jupiter.api.Assertions.*;

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
import org.openqa.selenium.support.ui.Select;

import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.auth.Passwords;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * The admin's audit page in headless Chromium: newest first, paged, filtered with a plain GET form (no script under
 * the strict CSP), and a red banner once a row in the database was changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditPageTest {
    @TempDir static Path tmp;
    static final String ADMIN = "chief", PASSWORD = "audit-page-pw-1";
    NodeServer node;
    Browser browser;

    @BeforeAll
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example");
        node.node().users().put(ADMIN, Passwords.hash(PASSWORD), "admin", Instant.now());
        // seq 1: a sign-in as the API records an admin's first one from an address
        node.node().audit().record(AuditEvent.done(ADMIN, AuditAction.SIGN_IN, ADMIN, "127.0.0.1", "api, first sign-in from this address since the node started"));
        for (int i = 1; i <= 60; i++) {
            AuditAction action = i % 10 == 0 ? AuditAction.RED_GRANT : AuditAction.EXPORT;
            node.node().audit().record(AuditEvent.done(ADMIN, action, "target-" + i, "192.0.2." + i, "<b>detail " + i + "</b>"));
        }
        browser = Browser.start(tmp.resolve("chrome"));
        browser.signIn(node.baseUrl(), ADMIN, PASSWORD);
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (node != null) node.close();
    }

    @Test
    void newestFirstPagedFilteredAndFlaggedWhenTampered() {
        browser.open(node.baseUrl() + "/audit");
        // seq 1: the admin's first sign-in from this address (above); 2..61 the seeded records; 62: the browser's
        // sign-in at /login, which starts its session
        assertTrue(browser.text().contains("The trail verifies: 62 records"), browser.text());
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("table.cases tbody tr"));
        assertEquals(50, rows.size());
        assertTrue(rows.get(0).getText().startsWith("62 ") && rows.get(0).getText().contains("sign-in"), rows.get(0).getText());
        assertTrue(rows.get(1).getText().startsWith("61 "), rows.get(1).getText());
        assertTrue(rows.get(1).getText().contains("<b>detail 60</b>"), "escaped, shown as text: " + rows.get(1).getText());
        assertTrue(rows.get(1).getText().contains("192.0.2.60"));
        browser.follow(By.linkText("Older records"));
        rows = browser.driver.findElements(By.cssSelector("table.cases tbody tr"));
        assertEquals(12, rows.size());
        assertTrue(rows.get(0).getText().startsWith("12 ") && rows.get(11).getText().startsWith("1 "), rows.get(11).getText());
        assertTrue(rows.get(11).getText().contains("sign-in"), "the admin's first sign-in from this address: " + rows.get(11).getText());
        new Select(browser.find(By.id("action"))).selectByValue("red-grant");
        browser.follow(By.cssSelector("form[action='/audit'] button"));
        rows = browser.driver.findElements(By.cssSelector("table.cases tbody tr"));
        assertEquals(6, rows.size(), browser.text());
        assertTrue(browser.driver.getCurrentUrl().contains("action=red-grant"));

        node.node().db().update("UPDATE audit_log SET from_addr = '10.0.0.1' WHERE seq = 42");
        browser.open(node.baseUrl() + "/audit");
        assertTrue(browser.text().contains("The trail does NOT verify: record 42 was altered"), browser.text());
        assertTrue(browser.find(By.cssSelector(".notice-error")).isDisplayed());
    }
}
