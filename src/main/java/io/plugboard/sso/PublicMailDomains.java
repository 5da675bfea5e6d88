package io.plugboard.sso;

import java.util.Set;

/**
 * Domains of mail services anyone can sign up to: no organisation owns them, so none may route their addresses to
 * its identity provider. The largest services worldwide; a domain missing here is still refused once another
 * organisation has users in it.
 */
final class PublicMailDomains {

    static final Set<String> ALL = Set.of(
            "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "live.com",
            "live.co.uk", "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "icloud.com",
            "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net",
            "web.de", "t-online.de", "mail.com", "zoho.com", "yandex.com", "yandex.ru", "mail.ru", "qq.com", "163.com",
            "126.com", "orange.fr", "free.fr", "laposte.net", "libero.it", "fastmail.com", "hey.com", "tutanota.com");

    private PublicMailDomains() {
    }
}
