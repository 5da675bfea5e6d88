package io.plugboard.sync.sqlaccess.ui;

import com.vaadin.flow.component.Component;
import io.plugboard.sync.sqlaccess.SqlLogins;
import io.plugboard.tenant.ui.SettingsCard;
import java.util.UUID;

/** Settings' card for the tenant's read-only SQL login. */
@org.springframework.stereotype.Component
class SqlLoginSettingsCard implements SettingsCard {

    private final SqlLogins logins;

    SqlLoginSettingsCard(SqlLogins logins) {
        this.logins = logins;
    }

    @Override
    public Component card(UUID tenantId) {
        return new SqlLoginCard(logins, tenantId);
    }
}
