package io.plugboard.connect.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.plugboard.connect.ConnectFlow;
import io.plugboard.connect.ConnectTexts;
import io.plugboard.connect.SignInWindows;
import io.plugboard.connector.CatalogEntry;
import io.plugboard.connector.Category;
import io.plugboard.ui.Monogram;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** The list of connectors the session allows, searchable and grouped by category; one click opens its form. */
class ConnectChooser extends Div {

    private final ConnectFlow flow;
    private final SignInWindows windows;
    private final ConnectFlow.Active active;
    private final ConnectTexts texts;
    private final PageBrand brand;
    private final Consumer<Component> onOutcome;
    private final List<CatalogEntry> connectors;
    private final Div groups = new Div();

    ConnectChooser(ConnectFlow flow, SignInWindows windows, ConnectFlow.Active active, ConnectTexts texts,
                   PageBrand brand, Consumer<Component> onOutcome) {
        this.flow = flow;
        this.windows = windows;
        this.active = active;
        this.texts = texts;
        this.brand = brand;
        this.onOutcome = onOutcome;
        this.connectors = flow.connectors(active);
        addClassName("connect-card");
        if (connectors.size() == 1) {
            open(connectors.getFirst());
            return;
        }
        showList();
    }

    private void showList() {
        removeAll();
        var title = new H1(texts.get("chooser.title"));
        var lead = new Paragraph(texts.get("chooser.lead", brand.name(active.tenantName())));
        var search = new TextField();
        search.setPlaceholder(texts.get("chooser.search"));
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setValueChangeMode(ValueChangeMode.EAGER);
        search.setWidthFull();
        search.getElement().setAttribute("aria-label", texts.get("chooser.searchLabel"));
        search.addValueChangeListener(e -> render(e.getValue()));
        groups.addClassName("connect-groups");
        add(title, lead);
        Component custom = brand.chooserText(texts.locale());
        if (custom != null) {
            add(custom);
        }
        if (connectors.size() > 6) {
            add(search);
        }
        add(groups);
        render("");
        if (connectors.isEmpty()) {
            groups.add(new Paragraph(texts.get("chooser.none", brand.name(active.tenantName()))));
        }
    }

    private void render(String text) {
        groups.removeAll();
        String q = text.strip().toLowerCase(Locale.ROOT);
        Map<Category, List<CatalogEntry>> byCategory = connectors.stream()
                .filter(e -> q.isEmpty() || e.name().toLowerCase(Locale.ROOT).contains(q))
                .collect(Collectors.groupingBy(e -> e.definition().category(), TreeMap::new, Collectors.toList()));
        byCategory.forEach((category, entries) -> {
            var heading = new H2(texts.get("category." + category.name()));
            var list = new Div();
            list.addClassName("connect-list");
            entries.forEach(e -> list.add(button(e)));
            groups.add(heading, list);
        });
    }

    private Component button(CatalogEntry entry) {
        var button = new NativeButton();
        button.add(Monogram.of(entry.appKey(), entry.name()), new Span(entry.name()));
        button.addClassName("connect-option");
        button.addClickListener(e -> open(entry));
        return button;
    }

    private void open(CatalogEntry entry) {
        removeAll();
        add(new ConnectForm(flow, windows, active, entry, texts, brand.name(active.tenantName()),
                connectors.size() > 1 ? this::showList : null,
                onOutcome));
    }
}
