package io.plugboard.audit.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridTester;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.SignedIn;
import io.plugboard.WithPortalUser;
import io.plugboard.audit.AuditActor;
import io.plugboard.audit.AuditEvent;
import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.tenant.NewTenant;
import io.plugboard.tenant.SupportSwitchService;
import io.plugboard.tenant.TenantService;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

class AuditLogViewTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    AuditLog audit;
    @Autowired
    SupportSwitchService supportSwitch;
    @Autowired
    TenantService tenants;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    /** Every event this test records carries this actor label, so filters can isolate them. */
    private final String actor = "probe-" + suffix + "@demo.local";
    private final String alpha = "probe." + suffix + ".alpha";
    private final String beta = "probe." + suffix + ".beta";
    private final AuditActor probe = new AuditActor(AuditActor.Type.USER, UUID.randomUUID().toString(), actor);
    private UUID demoTenant;

    @BeforeEach
    void recordProbeEvents() {
        demoTenant = jdbc.queryForObject("SELECT id FROM tenants WHERE slug = 'demo'", UUID.class);
        audit.record(probe, AuditRecord.of(alpha, demoTenant));
        audit.record(probe, AuditRecord.of(alpha, demoTenant));
        audit.record(probe, AuditRecord.of(beta, demoTenant));
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void actorAndActionFiltersNarrowTheGridToTheTenantsMatchingEvents() {
        // Same actor and action in another tenant: never visible to the demo tenant.
        audit.record(probe, AuditRecord.of(alpha, anotherTenant()));
        navigate(AuditLogView.class);
        test(textField("Actor")).setValue(actor);
        assertThat(actions()).containsExactlyInAnyOrder(alpha, alpha, beta);

        test(actionFilter()).selectItem(alpha);
        assertThat(actions()).containsExactly(alpha, alpha);

        test(actionFilter()).selectItem(beta);
        assertThat(actions()).containsExactly(beta);
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void timeRangeFilterShowsOnlyEventsInsideTheRange() {
        navigate(AuditLogView.class);
        test(textField("Actor")).setValue(actor);
        LocalDateTime thisHour = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);

        test(picker("To (UTC)")).setValue(thisHour.minusHours(1));
        assertThat(actions()).as("range ending before the events").isEmpty();

        test(picker("From (UTC)")).setValue(thisHour.minusHours(2));
        test(picker("To (UTC)")).setValue(thisHour.plusHours(2));
        assertThat(actions()).as("range around the events").hasSize(3);

        test(picker("From (UTC)")).setValue(thisHour.plusHours(1));
        assertThat(actions()).as("range starting after the events").isEmpty();
    }

    @Test
    @WithPortalUser("auditor@demo.local")
    void verifyChainReportsAnIntactChain() {
        navigate(AuditLogView.class);
        test(find(Button.class).withText("Verify chain").single()).click();
        Span status = find(Span.class).withTextContaining("Chain intact").single();
        assertThat(status.getText()).contains("last verified").contains("(manual,");
        assertThat(status.getClassNames()).contains("badge", "ok");
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void aSavedFilterComesBackWithOneClick() {
        navigate(AuditLogView.class);
        test(textField("Actor")).setValue(actor);
        test(actionFilter()).selectItem(beta);
        test(find(Button.class).withText("Save filter…").single()).click();
        test(find(TextField.class).withLabel("Name").single()).setValue("Probe " + suffix);
        test(find(Button.class).withText("Save").single()).click();

        test(textField("Actor")).clear();
        test(actionFilter()).selectItem(null);
        assertThat(actions()).hasSizeGreaterThan(1);

        @SuppressWarnings("unchecked")
        ComboBox<io.plugboard.audit.SavedAuditFilter> saved = find(ComboBox.class).withLabel("Saved filters").single();
        test(saved).selectItem("Probe " + suffix);
        assertThat(textField("Actor").getValue()).isEqualTo(actor);
        assertThat(actions()).containsExactly(beta);
    }

    @Test
    @WithPortalUser("admin@demo.local")
    void aTargetsTimelineListsItsEventsNewestFirst() {
        String credential = "cred_probe" + suffix;
        audit.record(probe, AuditRecord.of(alpha, demoTenant).target("credential", credential));
        audit.record(probe, AuditRecord.of(beta, demoTenant).target("credential", credential));
        navigate("audit/timeline/credential/" + credential, AuditTimelineView.class);
        assertThat(actions()).containsExactly(beta, alpha);
        assertThat(find(com.vaadin.flow.component.html.H2.class).single().getText()).contains(credential);
    }

    @Test
    @WithPortalUser("support@plugboard.local")
    void customerSuccessWithoutATenantSwitchIsAskedToChooseATenant() {
        navigate(AuditLogView.class);
        assertThat(find(Paragraph.class).withTextContaining("Choose a tenant").exists()).isTrue();
        assertThat(find(Grid.class).exists()).isFalse();
    }

    @Test
    @WithPortalUser("support@plugboard.local")
    void afterSwitchingIntoATenantCustomerSuccessSeesThatTenantsEvents() {
        String reason = "Ticket " + suffix + ": customer asks about their audit trail";
        supportSwitch.switchTo(demoTenant, reason);
        navigate(AuditLogView.class);

        assertThat(find(Paragraph.class).withTextContaining("Choose a tenant").exists()).isFalse();
        test(textField("Actor")).setValue(actor);
        assertThat(rows()).extracting(AuditEvent::tenantId).containsOnly(demoTenant);
        assertThat(actions()).containsExactlyInAnyOrder(alpha, alpha, beta);

        test(textField("Actor")).setValue("support@plugboard.local");
        AuditEvent newest = rows().getFirst();
        assertThat(newest.action()).isEqualTo("support.tenant.switched");
        assertThat(newest.reason()).isEqualTo(reason);
    }

    private UUID anotherTenant() {
        SecurityContext signedIn = SecurityContextHolder.getContext();
        try {
            SignedIn.as(jdbc, "platform@plugboard.local");
            return tenants.create(new NewTenant("audit-" + suffix, "Audit Other " + suffix,
                    "admin-" + suffix + "@audit-other.test", "Other Admin", "")).tenant().id();
        } finally {
            SecurityContextHolder.setContext(signedIn);
        }
    }

    private TextField textField(String label) {
        return find(TextField.class).withLabel(label).single();
    }

    private DateTimePicker picker(String label) {
        return find(DateTimePicker.class).withLabel(label).single();
    }

    @SuppressWarnings("unchecked")
    private ComboBox<String> actionFilter() {
        return find(ComboBox.class).withLabel("Action").single();
    }

    private List<String> actions() {
        return rows().stream().map(AuditEvent::action).toList();
    }

    @SuppressWarnings("unchecked")
    private List<AuditEvent> rows() {
        GridTester<Grid<AuditEvent>, AuditEvent> grid = test((Grid<AuditEvent>) find(Grid.class).single());
        var rows = new ArrayList<AuditEvent>();
        for (int i = 0; i < grid.size(); i++) {
            rows.add(grid.getRow(i));
        }
        return rows;
    }
}
