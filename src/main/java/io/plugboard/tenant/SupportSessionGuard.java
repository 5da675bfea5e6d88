package io.plugboard.tenant;

import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.security.SupportSwitch;
import io.plugboard.tenant.SupportSwitchService.Ending;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A page opened inside a support session belongs to it: once that session has ended — its time is up, or it was
 * ended or replaced in another tab of the same portal session — a round trip from the page (a click) runs nothing.
 * It is audited as refused and the browser goes to the tenant chooser, which says how the session ended. Runs before
 * Vaadin handles the round trip; the page's support session is recorded on each navigation ({@link #markPage}).
 */
@Component
public class SupportSessionGuard implements VaadinServiceInitListener {

    /** The support session a page was rendered in; {@code none} for a page outside one. */
    private record PageMark(Optional<SupportSwitch> session) implements Serializable {
    }

    private final SupportSwitchService supportSwitch;
    private final AuditLog audit;

    SupportSessionGuard(SupportSwitchService supportSwitch, AuditLog audit) {
        this.supportSwitch = supportSwitch;
        this.audit = audit;
    }

    /** For the portal's layout, after every navigation: the support session this page now shows, if any. */
    public static void markPage(UI ui, Optional<SupportSwitch> session) {
        ComponentUtil.setData(ui, PageMark.class, new PageMark(session));
    }

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.addRequestHandler((session, request, response) -> {
            if (session == null || !"uidl".equals(request.getParameter("v-r"))) {
                return false;
            }
            Optional<Ending> ended = endedFor(session, request.getParameter("v-uiId"));
            if (ended.isEmpty()) {
                return false;
            }
            String chooser = request.getContextPath() + "/support/switch?ended=" + ended.get().auditValue();
            response.setContentType("application/json; charset=UTF-8");
            response.getOutputStream().write(VaadinService.createCriticalNotificationJSON(null, null, null, chooser)
                    .getBytes(StandardCharsets.UTF_8));
            return true;
        });
    }

    private Optional<Ending> endedFor(VaadinSession session, String uiId) {
        session.lock();
        try {
            UI ui = uiId == null || !uiId.matches("\\d{1,9}") ? null : session.getUIById(Integer.parseInt(uiId));
            PageMark mark = ui == null ? null : ComponentUtil.getData(ui, PageMark.class);
            if (mark == null || mark.session().isEmpty()) {
                return Optional.empty();
            }
            SupportSwitch page = mark.session().get();
            SupportSwitch current = session.getAttribute(SupportSwitch.class);
            Ending ending;
            if (current != null && current.startedAt().equals(page.startedAt()) && current.tenantId().equals(page.tenantId())) {
                if (!supportSwitch.endIfExpired()) {
                    return Optional.empty();
                }
                ending = Ending.EXPIRED;
            } else {
                ending = current == null ? Ending.ON_DEMAND : Ending.REPLACED;
            }
            audit.record(AuditRecord.of("support.request.refused", page.tenantId()).target("tenant", page.tenantId())
                    .reason(page.reason()).detail("how", ending.auditValue()));
            markPage(ui, Optional.empty());
            return Optional.of(ending);
        } finally {
            session.unlock();
        }
    }
}
