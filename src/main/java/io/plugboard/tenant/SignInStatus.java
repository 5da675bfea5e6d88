package io.plugboard.tenant;

import io.plugboard.security.PortalPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Whether a signed-in portal user may still be signed in, by the rules of sign-in ({@link PortalAccess}): for the
 * shell's navigation check. Every request is checked before it runs too (the security kernel's filter).
 */
@Service
public class SignInStatus {

    private final PortalAccess access;

    SignInStatus(PortalAccess access) {
        this.access = access;
    }

    @Transactional(readOnly = true)
    public boolean stillAllowed(PortalPrincipal principal) {
        return access.refusalNow(principal).isEmpty();
    }
}
