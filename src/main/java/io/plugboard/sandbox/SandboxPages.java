package io.plugboard.sandbox;

import io.plugboard.tenant.ConditionalOnDemoMode;
import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import static org.springframework.web.util.HtmlUtils.htmlEscape;

/**
 * The sandbox provider's own pages — deliberately plain HTML, nothing like the portal, so it is clear
 * the user has "left" Plugboard: an overview, the sign-in for fictional users, and the consent screen
 * Spring Authorization Server sends the browser to.
 */
@Controller
@ConditionalOnDemoMode
class SandboxPages {

    private static final Map<String, String> SCOPE_TEXT = Map.of(
            "contacts.read", "See your contacts, their notes and tasks",
            "contacts.write", "Add and change contacts, notes and tasks");

    private final SandboxClients clients;
    private final OAuth2AuthorizationConsentService consents;
    private final SandboxUrls urls;

    SandboxPages(SandboxClients clients, OAuth2AuthorizationConsentService consents, SandboxUrls urls) {
        this.clients = clients;
        this.consents = consents;
        this.urls = urls;
    }

    @GetMapping({SandboxUrls.PATH, SandboxUrls.PATH + "/"})
    ResponseEntity<String> home(@Nullable Authentication signedIn, CsrfToken csrf) {
        String who = signedIn == null || !signedIn.isAuthenticated() ? ""
                : "<p class=\"who\">Signed in as <b>" + htmlEscape(signedIn.getName()) + "</b>. "
                + signOut(csrf) + "</p>";
        return page("Sandbox CRM", """
                <h1>Sandbox CRM</h1>
                <p>A pretend CRM that ships with the Plugboard demo, so you can connect a real OAuth&nbsp;2.0 account
                without signing up anywhere. Nothing here is real and nothing is kept after a restart.</p>
                %s
                <h2>Sign in</h2>
                <p>Any e-mail address with the password <code>%s</code>, e.g. <code>%s</code>. Each address is its own
                account with its own contacts.</p>
                <h2>For developers</h2>
                <table>
                <tr><th>Issuer</th><td><code>%s</code></td></tr>
                <tr><th>Authorization</th><td><code>%s</code> (code + PKCE S256)</td></tr>
                <tr><th>Token</th><td><code>%s</code> (authorization_code, refresh_token, client_credentials)</td></tr>
                <tr><th>Revocation</th><td><code>%s</code> (RFC 7009)</td></tr>
                <tr><th>Keys</th><td><code>%s</code></td></tr>
                <tr><th>API</th><td><code>GET %s/me</code>, <code>GET|POST %s/contacts</code>, <code>GET|PATCH …/contacts/{id}</code>, <code>GET|POST …/notes</code>, <code>GET|POST …/tasks</code>, <code>PATCH …/tasks/{id}</code>, <code>GET …/users</code> (Bearer)</td></tr>
                <tr><th>Scopes</th><td><code>contacts.read</code>, <code>contacts.write</code></td></tr>
                </table>
                """.formatted(who, SandboxUsers.PASSWORD, SandboxUsers.EXAMPLE, htmlEscape(urls.issuer()),
                htmlEscape(urls.authorize()), htmlEscape(urls.token()), htmlEscape(urls.revoke()),
                htmlEscape(urls.publicUrl() + SandboxUrls.JWKS), htmlEscape(urls.api()), htmlEscape(urls.api())));
    }

    @GetMapping(SandboxUrls.LOGIN)
    ResponseEntity<String> login(@RequestParam(required = false) @Nullable String error,
                                 @RequestParam(name = "signed-out", required = false) @Nullable String signedOut,
                                 CsrfToken csrf) {
        String notice = error != null ? "<p class=\"error\" role=\"alert\">Use an e-mail address and the password "
                + "<code>" + SandboxUsers.PASSWORD + "</code>.</p>"
                : signedOut != null ? "<p class=\"notice\" role=\"status\">You are signed out of Sandbox CRM.</p>" : "";
        return page("Sign in · Sandbox CRM", """
                <h1>Sign in to Sandbox CRM</h1>
                <p class="hint">This is the demo's pretend provider. Sign in with <b>any e-mail</b> and the password
                <code>%s</code>.</p>
                %s
                <form method="post" action="%s">
                  <label for="username">E-mail</label>
                  <input id="username" name="username" type="email" value="%s" autocomplete="username" required autofocus>
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" value="" placeholder="%s" autocomplete="current-password" required>
                  <input type="hidden" name="%s" value="%s">
                  <button type="submit" class="primary">Sign in</button>
                </form>
                """.formatted(SandboxUsers.PASSWORD, notice, SandboxUrls.LOGIN, SandboxUsers.EXAMPLE,
                SandboxUsers.PASSWORD, htmlEscape(csrf.getParameterName()), htmlEscape(csrf.getToken())));
    }

    @GetMapping(SandboxUrls.CONSENT)
    ResponseEntity<String> consent(Principal principal, CsrfToken csrf,
                                   @RequestParam("client_id") String clientId,
                                   @RequestParam("scope") String scope,
                                   @RequestParam("state") String state) {
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null) {
            return page("Unknown application · Sandbox CRM", "<h1>Unknown application</h1><p>No application "
                    + "with this client ID is registered at Sandbox CRM.</p>");
        }
        var previous = consents.findById(client.getId(), principal.getName());
        Set<String> granted = previous == null ? Set.of() : previous.getScopes();
        Set<String> requested = new LinkedHashSet<>();
        for (String s : scope.split(" ")) {
            if (!s.isBlank() && !"openid".equals(s)) {
                requested.add(s);
            }
        }
        var items = new StringBuilder();
        for (String s : requested) {
            boolean already = granted.contains(s);
            items.append("<li><label><input type=\"checkbox\" name=\"scope\" value=\"").append(htmlEscape(s))
                    .append("\" checked").append(already ? " disabled" : "").append("> ")
                    .append(htmlEscape(SCOPE_TEXT.getOrDefault(s, s))).append(" <code>").append(htmlEscape(s))
                    .append("</code>").append(already ? " <small>(already allowed)</small>" : "")
                    .append("</label></li>");
            if (already) {
                items.append("<input type=\"hidden\" name=\"scope\" value=\"").append(htmlEscape(s)).append("\">");
            }
        }
        String hidden = "<input type=\"hidden\" name=\"client_id\" value=\"" + htmlEscape(clientId) + "\">"
                + "<input type=\"hidden\" name=\"state\" value=\"" + htmlEscape(state) + "\">"
                + "<input type=\"hidden\" name=\"" + htmlEscape(csrf.getParameterName()) + "\" value=\""
                + htmlEscape(csrf.getToken()) + "\">";
        return page("Allow access · Sandbox CRM", """
                <h1>Allow %s to use your Sandbox CRM account?</h1>
                <p class="who">Signed in as <b>%s</b>.</p>
                <form method="post" action="%s" id="consent">
                  %s
                  <ul class="scopes">%s</ul>
                  <button type="submit" class="primary" id="allow">Allow</button>
                  <button type="submit" form="deny" id="cancel">Cancel</button>
                </form>
                <form method="post" action="%s" id="deny">%s</form>
                <p class="hint">%s will be able to do only what is ticked, until you or they revoke it.</p>
                """.formatted(htmlEscape(client.getClientName()), htmlEscape(principal.getName()),
                SandboxUrls.AUTHORIZE, hidden, items, SandboxUrls.AUTHORIZE, hidden,
                htmlEscape(client.getClientName())));
    }

    private static String signOut(CsrfToken csrf) {
        return "<form method=\"post\" action=\"" + SandboxUrls.LOGOUT + "\" class=\"inline\"><input type=\"hidden\" name=\""
                + htmlEscape(csrf.getParameterName()) + "\" value=\"" + htmlEscape(csrf.getToken())
                + "\"><button type=\"submit\" class=\"link\">Sign out</button></form>";
    }

    private static ResponseEntity<String> page(String title, String body) {
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                  body { margin: 0; font: 16px/1.5 Georgia, 'Times New Roman', serif; background: #f3efe6; color: #2b2a26; }
                  header { background: #2f5d50; color: #fff; padding: 14px 24px; font: 600 18px/1 system-ui, sans-serif;
                           letter-spacing: .02em; }
                  header span { font-weight: 400; opacity: .8; font-size: 14px; margin-left: 10px; }
                  main { max-width: 560px; margin: 40px auto; background: #fff; border: 1px solid #d9d2c3;
                         border-radius: 6px; padding: 28px 32px; }
                  h1 { font-size: 24px; margin: 0 0 12px; } h2 { font-size: 18px; margin: 24px 0 6px; }
                  label { display: block; margin: 14px 0 4px; font: 600 14px system-ui, sans-serif; }
                  ul.scopes { list-style: none; padding: 0; } ul.scopes label { font-weight: 400; }
                  input[type=email], input[type=password] { width: 100%%; box-sizing: border-box; padding: 9px 10px;
                           font-size: 16px; border: 1px solid #b9b09c; border-radius: 4px; }
                  button { margin-top: 18px; padding: 9px 18px; font: 600 15px system-ui, sans-serif; border-radius: 4px;
                           border: 1px solid #2f5d50; background: #fff; color: #2f5d50; cursor: pointer; }
                  button.primary { background: #2f5d50; color: #fff; }
                  button.link { border: 0; margin: 0; padding: 0; background: none; text-decoration: underline; }
                  form.inline { display: inline; } #cancel { margin-left: 8px; }
                  .hint, .who { color: #5d5a52; font-size: 15px; } .error { color: #a4262c; } .notice { color: #2f5d50; }
                  code { background: #f3efe6; padding: 1px 4px; border-radius: 3px; font-size: 14px; }
                  table { border-collapse: collapse; font-size: 14px; } th { text-align: left; padding: 4px 12px 4px 0; }
                  td { padding: 4px 0; word-break: break-all; }
                </style></head>
                <body><header>Sandbox CRM<span>a pretend provider for the Plugboard demo</span></header>
                <main>%s</main></body></html>
                """.formatted(htmlEscape(title), body);
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore()).body(html);
    }
}
