package io.plugboard.sync.sqlaccess.ui;

import com.vaadin.flow.component.Component;
import io.plugboard.sync.sqlaccess.SqlLogins;
import io.plugboard.ui.SettingsSection;
import java.util.UUID;
import org.springframework.core.annotation.Order;

/** Settings' card for the tenant's read-only SQL login. */
@org.springframework.stereotype.Component
@Order(2)
class SqlLoginSettingsSection implements SettingsSection {

    private final SqlLogins logins;

    SqlLoginSettingsSection(SqlLogins logins) {
        this.logins = logins;
    }

    @Override
    public Component create(UUID tenantId, String tenantName) {
        return new SqlLoginCard(logins, tenantId);
    }
}
