package io.plugboard.connect.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import io.plugboard.BrowserlessViewTest;
import io.plugboard.WithPortalUser;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The launcher offers the connect page's languages, each named in itself, and stores the one chosen. */
@WithPortalUser("admin@demo.local")
class ConnectLauncherLanguageTest extends BrowserlessViewTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theChosenLanguageIsStoredWithTheSessionAndNoneLeavesItToTheBrowser() {
        navigate(ConnectLauncherView.class);
        @SuppressWarnings("unchecked")
        Select<String> language = find(Select.class).withCondition(s -> "Language of the connect page".equals(s.getLabel()))
                .single();
        assertThat(language.getListDataView().getItems().map(language.getItemLabelGenerator()).toList())
                .containsExactly("The end user’s browser decides", "English", "Deutsch", "Français", "Español");

        String german = create(language, "de");
        String browsers = create(language, "");

        assertThat(locale(german)).isEqualTo("de");
        assertThat(locale(browsers)).isNull();
    }

    private String create(Select<String> language, String tag) {
        String endUser = "lang-" + UUID.randomUUID().toString().substring(0, 8);
        test(find(TextField.class).withLabel("End user id").single()).setValue(endUser);
        language.setValue(tag);
        test(find(Button.class).withText("Create link").single()).click();
        assertThat(find(TextField.class).withLabel("Connect link").single().getValue()).contains("/connect/");
        return endUser;
    }

    private String locale(String endUser) {
        return jdbc.queryForObject("SELECT locale FROM connect_sessions WHERE end_user_id = ?", String.class, endUser);
    }
}
