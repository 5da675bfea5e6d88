package io.plugboard.e2e;

import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Takes the README screenshots (1280x800) from a running portal with the demo data:
 * {@code login.png}, {@code dashboard.png} (and the whole page as {@code dashboard-full.png}), {@code audit-log.png}
 * and {@code users.png}, signed in as
 * the demo tenant admin, then the demo walkthrough's {@code sandbox-consent.png} and
 * {@code sandbox-credential.png}. The portal's public URL must be the base URL (the sandbox lives there). Run by {@code docs/screenshots/refresh.sh}; not a test.
 *
 * <p>Arguments: base URL, demo password, output directory.
 */
public final class ReadmeScreenshots {

    private ReadmeScreenshots() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: ReadmeScreenshots <base-url> <demo-password> <output-dir>");
            System.exit(2);
        }
        Path out = Path.of(args[2]);
        try (PortalBrowser browser = PortalBrowser.open(args[0], 1280, 800)) {
            browser.open("/login");
            browser.waitForLoginPage();
            browser.settle();
            browser.screenshot(out.resolve("login.png"));

            browser.signIn("admin@demo.local", args[1]);
            browser.waitForText("h2", "Welcome, Demo Admin");
            browser.settle();
            browser.screenshot(out.resolve("dashboard.png"));
            browser.fullHeightScreenshot("main.dashboard-page", out.resolve("dashboard-full.png"));

            browser.navigate("Audit log", "audit");
            waitForRows(browser);
            browser.screenshot(out.resolve("audit-log.png"));

            browser.navigate("Users", "users");
            waitForRows(browser);
            browser.screenshot(out.resolve("users.png"));

            // The demo walkthrough: connect a Sandbox CRM account in a second tab, see the credential.
            String link = SandboxWalkthrough.createLink(browser, "jane-crm", "Jane Cooper");
            String launcher = browser.newTab();
            SandboxWalkthrough.connect(browser, link, "jane@sandbox.example", null, out.resolve("sandbox-consent.png"));
            browser.driver().close();
            browser.driver().switchTo().window(launcher);
            browser.navigate("Credentials", "credentials");
            waitForRows(browser);
            browser.screenshot(out.resolve("sandbox-credential.png"));
        }
        System.out.println("Wrote login.png, dashboard.png, dashboard-full.png, audit-log.png, users.png, sandbox-consent.png, "
                + "sandbox-credential.png to " + out.toAbsolutePath());
    }

    private static void waitForRows(PortalBrowser browser) {
        WebElement grid = browser.waitFor(By.cssSelector("main vaadin-grid"));
        browser.until(d -> browser.gridRows(grid).stream()
                .anyMatch(row -> row.stream().anyMatch(cell -> !cell.isEmpty())) ? true : null);
        browser.settle();
    }
}
