package io.plugboard.tenant.ui;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import io.plugboard.security.PendingSignIn;
import org.springframework.stereotype.Component;

/**
 * A session whose password was right but which owes its second factor is anonymous everywhere; wherever it goes
 * that needs a signed-in user, and the sign-in page (where the form sends it after the password), it is shown the
 * code step.
 */
@Component
class PendingSignInRouter implements VaadinServiceInitListener {

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(enter -> {
            Class<?> target = enter.getNavigationTarget();
            // Pages for anyone (an end user's connect page) stay as they are; the sign-in page and every page that
            // needs a signed-in user lead to the code step.
            boolean forAnyone = target.isAnnotationPresent(AnonymousAllowed.class)
                    && !"login".equals(enter.getLocation().getPath());
            if (target == SecondFactorView.class || forAnyone) {
                return;
            }
            VaadinSession session = enter.getUI().getSession();
            if (session != null && session.getSession() != null
                    && session.getSession().getAttribute(PendingSignIn.ATTRIBUTE) instanceof PendingSignIn) {
                enter.forwardTo(SecondFactorView.class);
            }
        }));
    }
}
