package io.plugboard.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium driving the portal, for the end-to-end test and the README screenshots.
 * Uses the system {@code chromium} and {@code chromedriver} explicitly, so Selenium Manager never
 * downloads anything, and a fresh profile directory per browser.
 */
final class PortalBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final Path profile;
    private final ChromeDriver driver;
    private final WebDriverWait wait;
    private final int width;
    private final int height;

    /**
     * Chromium is often a version ahead of Selenium's bundled DevTools bindings, which only costs a
     * warning (nothing here uses them). Held in fields: java.util.logging forgets levels of collected loggers.
     */
    private static final Logger DEVTOOLS_LOG = quiet("org.openqa.selenium.devtools");
    private static final Logger CHROMIUM_LOG = quiet("org.openqa.selenium.chromium");

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Opens a browser whose page viewport is exactly {@code width} x {@code height} CSS pixels. */
    static PortalBrowser open(String baseUrl, int width, int height) {
        return new PortalBrowser(baseUrl, width, height);
    }

    private PortalBrowser(String baseUrl, int width, int height) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        try {
            this.profile = Files.createTempDirectory("plugboard-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--lang=en-US",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(new File(System.getProperty("java.io.tmpdir"), "plugboard-chromedriver.log"))
                .build();
        this.driver = new ChromeDriver(service, options);
        this.width = width;
        this.height = height;
        pinViewport();
        this.wait = new WebDriverWait(driver, TIMEOUT);
        wait.ignoring(StaleElementReferenceException.class);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens a new tab, switches to it and gives it the same viewport; returns the previous tab's handle. */
    String newTab() {
        String previous = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        pinViewport();
        return previous;
    }

    /** Pins the viewport itself (the window size alone may include browser chrome); per tab. */
    private void pinViewport() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    void open(String path) {
        driver.get(baseUrl + (path.startsWith("/") ? path : "/" + path));
    }

    String path() {
        String url = driver.getCurrentUrl();
        return url == null ? "" : url.substring(Math.min(url.length(), baseUrl.length()));
    }

    WebElement waitFor(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** The sign-in page, asking for the e-mail first or (after an error, or when asked for) showing the password form. */
    void waitForLoginPage() {
        wait.until(ExpectedConditions.urlMatches("/login(\\?.*)?$"));
        wait.until(ExpectedConditions.or(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#sign-in-email input")),
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("vaadin-login-form input[name=username]"))));
        waitForVaadin();
    }

    /** Types the e-mail into the sign-in page's first step and continues (to the provider or the password form). */
    void continueWithEmail(String email) {
        WebElement field = waitFor(By.cssSelector("#sign-in-email input"));
        field.clear();
        field.sendKeys(email);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in-continue"))).click();
    }

    /**
     * Signs in with a password: the e-mail first, then the Vaadin login form (its inputs live in the light DOM),
     * which the page shows when the e-mail's tenant has no single sign-on.
     */
    void signIn(String email, String password) {
        waitForLoginPage();
        if (!driver.findElements(By.cssSelector("#sign-in-email input")).stream().filter(WebElement::isDisplayed)
                .toList().isEmpty()) {
            continueWithEmail(email);
        }
        WebElement username = waitFor(By.cssSelector("vaadin-login-form input[name=username]"));
        username.clear();
        username.sendKeys(email);
        WebElement secret = waitFor(By.cssSelector("vaadin-login-form input[name=password]"));
        secret.clear();
        secret.sendKeys(password);
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("vaadin-login-form vaadin-button[slot=submit]"))).click();
    }

    /** The keys of the authenticator "app" this test run holds, by e-mail, and the last step each one used. */
    private static final Map<String, String> KEYS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, Long> LAST_STEPS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Signs in a user who must have a second factor (platform staff, or a tenant that requires one): sets it up at the
     * first sign-in, as the user would with an app, and types a fresh code at the next ones.
     */
    void signInWithSecondFactor(String email, String password) {
        signIn(email, password);
        wait.until(ExpectedConditions.urlContains("/sign-in/second-factor"));
        waitForVaadin();
        var shown = driver.findElements(By.cssSelector(".enrolment-secret"));
        if (!shown.isEmpty()) {
            String key = shown.getFirst().getText();
            long step = io.plugboard.tenant.TestCodes.currentStep();
            typeInto(".enrolment-code", io.plugboard.tenant.TestCodes.totpAtStep(key, step));
            waitForText("vaadin-button", "Confirm").click();
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("vaadin-button.recovery-codes-done")))
                    .click();
            KEYS.put(email, key);
            LAST_STEPS.put(email, step);
        } else {
            typeInto(".second-factor-code", nextCode(email));
            waitForText("vaadin-button", "Verify").click();
        }
        wait.until(d -> !path().contains("sign-in") && !path().contains("login"));
        waitForVaadin();
    }

    /** A code of a step later than any this test run used for the user: a code works once. */
    String nextCode(String email) {
        String key = KEYS.get(email);
        if (key == null) {
            throw new IllegalStateException(email + " set up no second factor in this test run");
        }
        long step = Math.max(io.plugboard.tenant.TestCodes.currentStep(), LAST_STEPS.getOrDefault(email, 0L) + 1);
        while (step > io.plugboard.tenant.TestCodes.currentStep() + 1) {
            pause(Duration.ofSeconds(1));
        }
        LAST_STEPS.put(email, step);
        return io.plugboard.tenant.TestCodes.totpAtStep(key, step);
    }

    void rememberKey(String email, String key, long step) {
        KEYS.put(email, key);
        LAST_STEPS.put(email, step);
    }

    void typeInto(String fieldClass, String text) {
        WebElement input = waitFor(By.cssSelector("vaadin-text-field" + fieldClass + " input"));
        input.clear();
        input.sendKeys(text);
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a visible element whose own text, trimmed, is exactly {@code text}. */
    WebElement waitForText(String tag, String text) {
        return waitFor(By.xpath("//" + tag + "[normalize-space()=" + xpathLiteral(text) + "]"));
    }

    /** Clicks an entry of the side navigation by its label and waits for the route to change. */
    void navigate(String label, String expectedPath) {
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-side-nav-item[normalize-space()=" + xpathLiteral(label) + "]"))).click();
        wait.until(ExpectedConditions.urlMatches("/" + expectedPath + "(\\?.*)?$"));
        waitForVaadin();
    }

    /** Opens the account popover at the top right and clicks a button in it. */
    void userMenu(String item) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("vaadin-button.user-menu"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//vaadin-popover//vaadin-button[normalize-space()="
                + xpathLiteral(item) + "]"))).click();
    }

    /**
     * The rendered rows of a Vaadin grid, each as its cells' texts. Grid cells are slotted into the
     * grid's shadow DOM, so the rows are read there and the cell texts from the slotted content.
     */
    @SuppressWarnings("unchecked")
    List<List<String>> gridRows(WebElement grid) {
        Object rows = ((JavascriptExecutor) driver).executeScript("""
                const grid = arguments[0];
                return [...grid.shadowRoot.querySelectorAll('#items tr')]
                    .filter(tr => !tr.hidden && tr.style.display !== 'none')
                    .map(tr => [...tr.querySelectorAll('slot')]
                        .map(slot => slot.assignedElements().map(e => e.textContent).join('').trim()));
                """, grid);
        return (List<List<String>>) rows;
    }

    /** Waits until Vaadin has no server round trip in flight (the same check TestBench uses). */
    void waitForVaadin() {
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("""
                if (!window.Vaadin || !window.Vaadin.Flow || !window.Vaadin.Flow.clients) { return true; }
                return Object.values(window.Vaadin.Flow.clients)
                    .every(client => !client.isActive || !client.isActive());
                """)));
    }

    /**
     * Waits until the page is at rest: no server round trip in flight, Vaadin's loading bar hidden and
     * web fonts loaded. Use it before a screenshot.
     */
    void settle() {
        waitForVaadin();
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("""
                const bar = document.querySelector('.v-loading-indicator');
                return document.fonts.status === 'loaded'
                    && (!bar || getComputedStyle(bar).display === 'none' || getComputedStyle(bar).opacity === '0');
                """)));
    }

    /** Waits until {@code condition} returns something other than null or false. */
    <T> T until(Function<ChromeDriver, T> condition) {
        return wait.until(d -> condition.apply(driver));
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A screenshot of the whole height of the layout's scrolling content ({@code selector}): the viewport is
     * made that tall for the shot, then pinned back.
     */
    void fullHeightScreenshot(String selector, Path file) {
        Object scrollHeight = ((JavascriptExecutor) driver).executeScript(
                "const e = document.querySelector(arguments[0]); return e.getBoundingClientRect().top + e.scrollHeight;",
                selector);
        int tall = Math.max(height, (int) Math.ceil(((Number) scrollHeight).doubleValue()) + 16);
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", tall, "deviceScaleFactor", 1, "mobile", false));
        try {
            settle();
            screenshot(file);
        } finally {
            pinViewport();
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }

    private static String xpathLiteral(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + text.replace("'", "', \"'\", '") + "')";
    }
}
