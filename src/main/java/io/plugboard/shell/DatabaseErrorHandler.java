package io.plugboard.shell;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.DefaultErrorHandler;
import com.vaadin.flow.server.ErrorEvent;
import com.vaadin.flow.server.ErrorHandler;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import io.plugboard.common.DatabaseUnavailable;
import io.plugboard.ui.Toasts;
import org.springframework.stereotype.Component;

/**
 * A click whose handler found the database unreachable tells the user so (nothing was saved, retry in a moment)
 * instead of failing silently with a stack trace in the log; every other failure is handled as before.
 */
@Component
class DatabaseErrorHandler implements VaadinServiceInitListener, ErrorHandler {

    private static final ErrorHandler DEFAULT = new DefaultErrorHandler();

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addSessionInitListener(init -> init.getSession().setErrorHandler(this));
    }

    @Override
    public void error(ErrorEvent event) {
        Throwable failure = event.getThrowable();
        if (!DatabaseUnavailable.causedBy(failure)) {
            DEFAULT.error(event);
            return;
        }
        DatabaseUnavailable.LOG.warn("Portal actions failed, database unavailable", DatabaseUnavailable.reason(failure));
        if (UI.getCurrent() != null) {
            Toasts.error(DatabaseUnavailable.MESSAGE);
        }
    }
}
