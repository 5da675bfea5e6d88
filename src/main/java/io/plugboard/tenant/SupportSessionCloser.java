package io.plugboard.tenant;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import io.plugboard.security.SupportSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A support session still open when its portal session is discarded (the HTTP session timed out, the server
 * dropped it) ends with it, and that end is audited like any other. Sign-out and "End support session" end
 * the support session before this could see it.
 */
@Component
class SupportSessionCloser implements VaadinServiceInitListener {

    private static final Logger log = LoggerFactory.getLogger(SupportSessionCloser.class);

    private final SupportSwitchService supportSwitch;

    SupportSessionCloser(SupportSwitchService supportSwitch) {
        this.supportSwitch = supportSwitch;
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addSessionDestroyListener(destroyed -> {
            SupportSwitch open = destroyed.getSession().getAttribute(SupportSwitch.class);
            if (open != null) {
                try {
                    supportSwitch.sessionClosed(open);
                } catch (RuntimeException e) {
                    // The session is going away regardless; the failure is the operator's to see.
                    log.error("Could not audit the end of a support session in tenant {}", open.tenantId(), e);
                }
            }
        });
    }
}
