package io.plugboard.credential.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.credential.CredentialFilter;
import io.plugboard.credential.CredentialStatus;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The filter bar over a tenant's credentials (credentials view, API console); every change produces a
 * new {@link CredentialFilter}. Connector, status and free text are always there; end user, metadata and
 * the created range are built when the user first opens "More filters", because every field costs
 * session memory for as long as the view is open (2–6 KB each, docs/benchmarks-credentials.md) and most
 * visits never use them.
 */
public class CredentialFilters extends Div {

    static final String MORE = "More filters";

    private final ComboBox<CatalogEntry> connector = new ComboBox<>("Connector");
    private final Select<CredentialStatus> status = new Select<>();
    private final TextField text = new TextField("Search");
    private final Button more = new Button(MORE);
    private final List<CatalogEntry> connectors;
    private final Runnable onChange;
    private @Nullable MoreFilters extra;

    public CredentialFilters(List<CatalogEntry> connectors, Runnable onChange) {
        this.connectors = connectors;
        this.onChange = onChange;
        addClassName("filters");
        connector.setItems(connectors);
        connector.setItemLabelGenerator(CatalogEntry::name);
        connector.setClearButtonVisible(true);
        connector.setPlaceholder("Any");
        status.setLabel("Status");
        status.setItems(CredentialStatus.values());
        status.setItemLabelGenerator(s -> s == null ? "Any" : s.label());
        status.setEmptySelectionAllowed(true);
        status.setEmptySelectionCaption("Any");
        text.setPlaceholder("id, label, end user");
        text.setPrefixComponent(VaadinIcon.SEARCH.create());
        lazyText(text, onChange);
        connector.addValueChangeListener(e -> onChange.run());
        status.addValueChangeListener(e -> onChange.run());
        more.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        more.addClassName("more-filters");
        more.getElement().setAttribute("aria-expanded", "false");
        more.getElement().setAttribute("aria-controls", MoreFilters.ID);
        more.addClickListener(e -> toggleMore());
        add(connector, status, text, more);
    }

    public CredentialFilter value() {
        MoreFilters m = extra;
        String key = m == null ? null : m.metadataKey.getValue();
        String value = m == null ? "" : m.metadataValue.getValue();
        boolean metadata = key != null && !key.isBlank() && !value.isBlank();
        return new CredentialFilter(connector.getValue() == null ? null : connector.getValue().appKey(),
                status.getValue(), m == null ? null : blankToNull(m.endUser.getValue()), metadata ? key : null,
                metadata ? value.strip() : null, m == null ? null : start(m.from.getValue()),
                m == null || m.to.getValue() == null ? null : start(m.to.getValue().plusDays(1)),
                blankToNull(text.getValue()));
    }

    /** Shows the less used filters, building them the first time; hides them again (they keep applying). */
    private void toggleMore() {
        MoreFilters m = extra;
        boolean open;
        if (m == null) {
            m = new MoreFilters(connectors, this::changed);
            extra = m;
            add(m);
            open = true;
        } else {
            open = !m.isVisible();
            m.setVisible(open);
        }
        more.getElement().setAttribute("aria-expanded", String.valueOf(open));
        if (open) {
            m.endUser.focus();
        }
        showActive();
    }

    private void changed() {
        showActive();
        onChange.run();
    }

    /** Hidden filters still narrow the grid, so the button says how many are set. */
    private void showActive() {
        int active = extra == null ? 0 : extra.active();
        more.setText(active == 0 ? MORE : MORE + " (" + active + " active)");
    }

    /** Immutable, so held in a flat array: a view keeps it for as long as the session lasts. */
    static Map<String, CatalogEntry> byKey(List<CatalogEntry> connectors) {
        return Map.copyOf(connectors.stream()
                .collect(Collectors.toMap(CatalogEntry::appKey, Function.identity(), (a, b) -> a)));
    }

    private static void lazyText(TextField field, Runnable onChange) {
        field.setValueChangeMode(ValueChangeMode.LAZY);
        field.setClearButtonVisible(true);
        field.addValueChangeListener(e -> onChange.run());
    }

    private static java.time.@Nullable Instant start(@Nullable LocalDate date) {
        return date == null ? null : date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** End user, a metadata key and value, and the created range: the filters behind "More filters". */
    private static final class MoreFilters extends Div {

        static final String ID = "more-filters";

        final TextField endUser = new TextField("End user id");
        final ComboBox<String> metadataKey = new ComboBox<>("Metadata");
        final TextField metadataValue = new TextField("Value");
        final DatePicker from = new DatePicker("Created from");
        final DatePicker to = new DatePicker("Created to");

        MoreFilters(List<CatalogEntry> connectors, Runnable onChange) {
            setId(ID);
            addClassName("filters");
            addClassName("more-filters-row");
            var keys = new TreeSet<String>();
            connectors.forEach(c -> c.definition().metadataFields().forEach(f -> keys.add(f.key())));
            metadataKey.setItems(keys);
            metadataKey.setAllowCustomValue(true);
            metadataKey.addCustomValueSetListener(e -> metadataKey.setValue(e.getDetail()));
            metadataKey.setClearButtonVisible(true);
            metadataKey.setPlaceholder("e.g. venue");
            lazyText(endUser, onChange);
            lazyText(metadataValue, onChange);
            metadataKey.addValueChangeListener(e -> onChange.run());
            from.addValueChangeListener(e -> onChange.run());
            to.addValueChangeListener(e -> onChange.run());
            from.setClearButtonVisible(true);
            to.setClearButtonVisible(true);
            add(endUser, metadataKey, metadataValue, from, to);
        }

        /** Filters set here: a metadata key and its value count as one. */
        int active() {
            String key = metadataKey.getValue();
            int n = endUser.getValue().isBlank() ? 0 : 1;
            n += key != null && !key.isBlank() && !metadataValue.getValue().isBlank() ? 1 : 0;
            n += from.getValue() == null ? 0 : 1;
            return n + (to.getValue() == null ? 0 : 1);
        }
    }
}
