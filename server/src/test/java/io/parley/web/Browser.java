package io.parley.web;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its own chromedriver: no driver or browser download (Selenium Manager is
 * never asked), a fresh profile per run, loopback only. It signs in to each node through the node's /login form, as a
 * duty officer does; the session cookie then carries the node's later pages and form posts.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    static Browser start(Path profile) throws IOException {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        System.setProperty("SE_OFFLINE", "true");
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=1440,1000", "--lang=en-GB", "--hide-scrollbars", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30)); // axe-core on a long page
        return new Browser(driver);
    }

    /** Signs in at {@code baseUrl}'s sign-in form (password only) and waits for the page it leads to. */
    void signIn(String baseUrl, String user, String password) throws InterruptedException {
        open(baseUrl + "/login");
        fillSignIn(user, password);
        if (!io.parley.testing.TestNodes.eventually(10, () -> !path().startsWith("/login"))) {
            throw new IllegalStateException("sign-in of " + user + " stayed at " + driver.getCurrentUrl() + ": " + text());
        }
    }

    /** Types into the sign-in form on the current page and sends it. */
    void fillSignIn(String user, String password) {
        find(By.id("username")).clear();
        find(By.id("username")).sendKeys(user);
        find(By.id("password")).sendKeys(password);
        find(By.cssSelector("form[action='/login'] button[type=submit]")).click();
    }

    void open(String url) {
        driver.get(url);
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    /**
     * Clicks what leads to another page and waits until that page has replaced this one: a click returns before the
     * browser navigates, so reading the page straight after it may read the old one or none.
     */
    void follow(By by) {
        follow(find(by));
    }

    /** {@link #follow(By)} for an element already found, such as a link inside a table row. */
    void follow(WebElement target) {
        WebElement old = driver.findElement(By.tagName("html"));
        target.click();
        new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> gone(old));
    }

    /**
     * Whether {@code element}'s document has been replaced. Chromium says so either as a stale reference or, caught
     * mid-navigation, as an inspector error that the node no longer belongs to the document; both mean the same.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) return true;
            throw e;
        }
    }

    /** Reloads until {@code condition} holds, for what arrives from another node. */
    boolean refreshUntil(int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (System.currentTimeMillis() > deadline) return false;
            Thread.sleep(250);
            driver.navigate().refresh();
        }
    }

    /** A screenshot of the whole page, beyond the window, through the DevTools protocol. */
    @SuppressWarnings("unchecked")
    void screenshot(Path file) throws IOException {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double width = ((Number) size.get("width")).doubleValue(), height = ((Number) size.get("height")).doubleValue();
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
