package io.plugboard.connect;

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
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium for the connect page, set up like {@code e2e.PortalBrowser} (system
 * chromium and chromedriver, so Selenium Manager never downloads; a fresh profile per browser), with
 * the steps an end user takes on the connect page and at the provider.
 */
final class ConnectBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "e2e", "connect");

    private static final Logger DEVTOOLS_LOG = quiet("org.openqa.selenium.devtools");
    private static final Logger CHROMIUM_LOG = quiet("org.openqa.selenium.chromium");

    private final Path profile;
    private final ChromeDriver driver;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final WebDriverWait wait;

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    ConnectBrowser(int width, int height, boolean mobile) {
        this(width, height, mobile, "en-US,en");
    }

    /** {@code languages}: the browser's preferred languages, most preferred first, as its Accept-Language sends them. */
    ConnectBrowser(int width, int height, boolean mobile, String languages) {
        try {
            this.profile = Files.createTempDirectory("plugboard-connect-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--lang=" + languages.split(",")[0],
                "--disable-popup-blocking", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", languages));
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogFile(new File(System.getProperty("java.io.tmpdir"), "plugboard-connect-chromedriver.log"))
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        // Generous: waits end as soon as the page is ready, and CI machines are sometimes very busy.
        this.wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    String url() {
        String url = driver.getCurrentUrl();
        return url == null ? "" : url;
    }

    WebElement waitFor(By locator) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    WebElement waitForText(String tag, String text) {
        return waitFor(By.xpath("//" + tag + "[normalize-space()=" + xpathLiteral(text) + "]"));
    }

    void waitForUrl(String regex) {
        wait.until(ExpectedConditions.urlMatches(regex));
    }

    <T> T until(Function<ChromeDriver, T> condition) {
        return wait.until(d -> condition.apply(driver));
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits until Vaadin has no server round trip in flight (the check TestBench uses). */
    void waitForVaadin() {
        wait.until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("""
                if (!window.Vaadin || !window.Vaadin.Flow || !window.Vaadin.Flow.clients) { return true; }
                return Object.values(window.Vaadin.Flow.clients)
                    .every(client => !client.isActive || !client.isActive());
                """)));
    }

    // ------------------------------------------------------------------ the connect page

    /** The chooser's button for a connector, by its visible name. */
    void choose(String connectorName) {
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[contains(@class,'connect-option')]"
                + "[span[normalize-space()=" + xpathLiteral(connectorName) + "]]"))).click();
        waitForVaadin();
    }

    /** Types into a connect-form field (a Vaadin text or password field named after the connector's field). */
    void type(String fieldName, String value) {
        WebElement input = waitFor(By.cssSelector("[name='" + fieldName + "'] > input"));
        input.clear();
        input.sendKeys(value);
        // Vaadin syncs the value on change: leave the field so the change event fires before any click.
        script("arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input);
    }

    WebElement field(String fieldName) {
        return waitFor(By.cssSelector("[name='" + fieldName + "']:not(input)"));
    }

    List<WebElement> fields(String fieldName) {
        return driver.findElements(By.cssSelector("[name='" + fieldName + "']:not(input)"));
    }

    /** The form's primary button ("Connect" or "Continue to …"). */
    void go(String label) {
        waitForVaadin();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//vaadin-button[contains(@class,'connect-go')]"
                + "[normalize-space()=" + xpathLiteral(label) + "]"))).click();
    }

    /** The success card; returns the credential id it carries. */
    String waitForSuccess() {
        WebElement card = waitFor(By.cssSelector(".connect-success"));
        return card.getAttribute("data-credential-id");
    }

    String waitForFailure() {
        return waitFor(By.cssSelector(".connect-failure p[role=alert]")).getText();
    }

    String waitForFormError() {
        return waitFor(By.cssSelector(".connect-error")).getText();
    }

    // ------------------------------------------------------------------ at the provider

    /** mock-oauth2-server's sign-in page: any user name is accepted. */
    void signInAtProvider(String username) {
        // Called right after the click that leaves for the provider: a look-up while that navigation is still under
        // way is aborted by it ("aborted by navigation"), which only means "not there yet".
        WebElement name = new WebDriverWait(driver, WAIT).ignoring(WebDriverException.class)
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form input[name=username]")));
        name.sendKeys(username);
        driver.findElement(By.cssSelector("form input[type=submit]")).click();
    }

    // ------------------------------------------------------------------ the portal

    void signInToPortal(String baseUrl, String email, String password) {
        // Straight to the password form: the e-mail-first step is the single sign-on tests' business.
        open(baseUrl + "/login?password");
        waitFor(By.cssSelector("vaadin-login-form input[name=username]")).sendKeys(email);
        waitFor(By.cssSelector("vaadin-login-form input[name=password]")).sendKeys(password);
        wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("vaadin-login-form vaadin-button[slot=submit]"))).click();
        wait.until(d -> !url().contains("/login"));
    }

    /** The rendered rows of a Vaadin grid, each as its cells' texts (cells are slotted into the shadow DOM). */
    @SuppressWarnings("unchecked")
    List<List<String>> gridRows(WebElement grid) {
        return (List<List<String>>) script("""
                const grid = arguments[0];
                return [...grid.shadowRoot.querySelectorAll('#items tr')]
                    .filter(tr => !tr.hidden && tr.style.display !== 'none')
                    .map(tr => [...tr.querySelectorAll('slot')]
                        .map(slot => slot.assignedElements().map(e => e.textContent).join('').trim()));
                """, grid);
    }

    /** A screenshot kept with the documentation, e.g. {@code docs/screenshots/…}. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    static String xpathLiteral(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + text.replace("'", "', \"'\", '") + "')";
    }
}
