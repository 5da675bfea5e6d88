package io.plugboard.tenant.ui;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import io.plugboard.security.PendingSignIn;
import org.springframework.stereotype.Component;

/**
 * A session whose password was right but which owes its second factor is anonymous everywhere; wherever it goes
 * (the sign-in page, where the form sends it after the password, a bookmarked page), it is shown the code step.
 */
@Component
class PendingSignInRouter implements VaadinServiceInitListener {

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(init -> init.getUI().addBeforeEnterListener(enter -> {
            if (enter.getNavigationTarget() == SecondFactorView.class) {
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
