package io.plugboard.e2e;

import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The steps of the README's demo walkthrough, shared by the browser test and the README screenshots:
 * create a connect link as the signed-in admin, then connect Sandbox CRM through the sandbox's sign-in
 * and consent pages.
 */
final class SandboxWalkthrough {

    private SandboxWalkthrough() {
    }

    /** On "Connect an account": fills the end user, creates the link and returns it. */
    static String createLink(PortalBrowser browser, String endUserId, String name) {
        browser.navigate("Connect an account", "connect-launch");
        browser.waitFor(By.xpath("//vaadin-text-field[label[normalize-space()='End user id']]/input")).sendKeys(endUserId);
        browser.waitFor(By.xpath("//vaadin-text-field[label[normalize-space()='Name (optional)']]/input")).sendKeys(name);
        browser.until(d -> d.findElement(By.xpath("//vaadin-button[normalize-space()='Create link']"))).click();
        WebElement link = browser.waitFor(By.cssSelector("vaadin-text-field.connect-link input"));
        String url = browser.until(d -> {
            String value = link.getDomProperty("value");
            return value != null && value.contains("/connect/") ? value : null;
        });
        browser.waitForVaadin();
        return url;
    }

    /**
     * Opens the link in the current tab, chooses Sandbox CRM, signs in at the sandbox as {@code email}
     * and allows access; returns the new credential's id from the "Connected" page. Screenshots of the
     * sandbox's sign-in and consent pages and the end go to {@code screenshots} (null: none);
     * {@code consentShot}, when given, is where the consent page is saved.
     */
    static String connect(PortalBrowser browser, String link, String email, Path screenshots, Path consentShot) {
        browser.driver().get(link);
        browser.waitForVaadin();
        browser.until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//button[contains(@class,'connect-option')][span[normalize-space()='Sandbox CRM']]"))::apply).click();
        browser.until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//vaadin-button[normalize-space()='Continue to Sandbox CRM']"))::apply).click();

        WebElement username = browser.waitFor(By.id("username"));
        assertPath(browser, "/sandbox/login");
        username.clear();
        username.sendKeys(email);
        browser.waitFor(By.id("password")).sendKeys("sandbox");
        if (screenshots != null) {
            browser.screenshot(screenshots.resolve("sandbox-login.png"));
        }
        browser.waitFor(By.cssSelector("button[type=submit]")).click();

        WebElement allow = browser.waitFor(By.id("allow"));
        assertPath(browser, "/sandbox/consent");
        if (screenshots != null) {
            browser.screenshot(screenshots.resolve("sandbox-consent.png"));
        }
        if (consentShot != null) {
            browser.screenshot(consentShot);
        }
        allow.click();

        WebElement success = browser.waitFor(By.cssSelector(".connect-success"));
        browser.waitForText("h1", "Connected");
        browser.settle();
        if (screenshots != null) {
            browser.screenshot(screenshots.resolve("sandbox-connected.png"));
        }
        return success.getDomAttribute("data-credential-id");
    }

    private static void assertPath(PortalBrowser browser, String path) {
        String url = browser.driver().getCurrentUrl();
        if (url == null || !url.contains(path)) {
            throw new AssertionError("expected " + path + " but the browser is at " + url);
        }
    }
}
