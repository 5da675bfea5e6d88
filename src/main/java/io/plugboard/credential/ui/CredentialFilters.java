package io.plugboard.credential.ui;

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
 * new {@link CredentialFilter}.
 */
public class CredentialFilters extends Div {

    private final ComboBox<CatalogEntry> connector = new ComboBox<>("Connector");
    private final Select<CredentialStatus> status = new Select<>();
    private final TextField endUser = new TextField("End user id");
    private final ComboBox<String> metadataKey = new ComboBox<>("Metadata");
    private final TextField metadataValue = new TextField("Value");
    private final DatePicker from = new DatePicker("Created from");
    private final DatePicker to = new DatePicker("Created to");
    private final TextField text = new TextField("Search");

    public CredentialFilters(List<CatalogEntry> connectors, Runnable onChange) {
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
        var keys = new TreeSet<String>();
        connectors.forEach(c -> c.definition().metadataFields().forEach(f -> keys.add(f.key())));
        metadataKey.setItems(keys);
        metadataKey.setAllowCustomValue(true);
        metadataKey.addCustomValueSetListener(e -> metadataKey.setValue(e.getDetail()));
        metadataKey.setClearButtonVisible(true);
        metadataKey.setPlaceholder("e.g. venue");
        text.setPlaceholder("id, label, end user");
        text.setPrefixComponent(VaadinIcon.SEARCH.create());
        for (TextField field : new TextField[] {endUser, metadataValue, text}) {
            field.setValueChangeMode(ValueChangeMode.LAZY);
            field.setClearButtonVisible(true);
            field.addValueChangeListener(e -> onChange.run());
        }
        connector.addValueChangeListener(e -> onChange.run());
        status.addValueChangeListener(e -> onChange.run());
        metadataKey.addValueChangeListener(e -> onChange.run());
        from.addValueChangeListener(e -> onChange.run());
        to.addValueChangeListener(e -> onChange.run());
        from.setClearButtonVisible(true);
        to.setClearButtonVisible(true);
        add(connector, status, endUser, metadataKey, metadataValue, from, to, text);
    }

    public CredentialFilter value() {
        String key = metadataKey.getValue();
        String value = metadataValue.getValue();
        boolean metadata = key != null && !key.isBlank() && !value.isBlank();
        return new CredentialFilter(connector.getValue() == null ? null : connector.getValue().appKey(),
                status.getValue(), blankToNull(endUser.getValue()), metadata ? key : null, metadata ? value.strip() : null,
                start(from.getValue()), start(to.getValue() == null ? null : to.getValue().plusDays(1)),
                blankToNull(text.getValue()));
    }

    /** Immutable, so held in a flat array: a view keeps it for as long as the session lasts. */
    static Map<String, CatalogEntry> byKey(List<CatalogEntry> connectors) {
        return Map.copyOf(connectors.stream()
                .collect(Collectors.toMap(CatalogEntry::appKey, Function.identity(), (a, b) -> a)));
    }

    private static java.time.@Nullable Instant start(@Nullable LocalDate date) {
        return date == null ? null : date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
