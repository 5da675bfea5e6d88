package io.plugboard.universal;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.TextInput;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The checks a person to create or change passes before any CRM sees it, the same from the REST API and the
 * portal's console: every message names the field.
 */
public final class PersonInputs {

    private static final int MAX_TEXT = 500;
    private static final int MAX_ITEMS = 50;

    private PersonInputs() {
    }

    public static void check(@Nullable PersonInput person, boolean creating) {
        if (person == null) {
            throw new InvalidRequestException("body: send the person as JSON");
        }
        for (var field : List.of(new String[] {"firstName", person.firstName()}, new String[] {"lastName", person.lastName()},
                new String[] {"name", person.name()}, new String[] {"stage", person.stage()},
                new String[] {"source", person.source()}, new String[] {"assignedUserId", person.assignedUserId()})) {
            TextInput.line(field[0], field[1], MAX_TEXT);
        }
        points("emails", person.emails());
        points("phones", person.phones());
        if (person.addresses() != null) {
            size("addresses", person.addresses());
            for (var address : person.addresses()) {
                if (address == null) {
                    throw new InvalidRequestException("addresses: an address cannot be null");
                }
                for (String part : new String[] {address.type(), address.street(), address.city(), address.state(),
                        address.postalCode(), address.country()}) {
                    TextInput.line("addresses", part, MAX_TEXT);
                }
            }
        }
        if (person.tags() != null) {
            size("tags", person.tags());
            person.tags().forEach(tag -> {
                if (tag == null || tag.isBlank()) {
                    throw new InvalidRequestException("tags: a tag cannot be empty");
                }
                TextInput.line("tags", tag, MAX_TEXT);
            });
        }
        boolean named = person.firstName() != null || person.lastName() != null || person.name() != null
                || (person.emails() != null && !person.emails().isEmpty())
                || (person.phones() != null && !person.phones().isEmpty());
        if (creating && !named) {
            throw new InvalidRequestException("body: a person needs a name, an e-mail address or a phone number");
        }
        if (!creating && person.equals(new PersonInput(null, null, null, null, null, null, null, null, null, null))) {
            throw new InvalidRequestException("body: send at least one field to change");
        }
    }

    private static void points(String field, @Nullable List<Person.ContactPoint> points) {
        if (points == null) {
            return;
        }
        size(field, points);
        for (var point : points) {
            if (point == null || point.value() == null || point.value().isBlank()) {
                throw new InvalidRequestException(field + ": every entry needs a value");
            }
            TextInput.line(field, point.value(), MAX_TEXT);
            TextInput.line(field, point.type(), MAX_TEXT);
        }
    }

    private static void size(String field, List<?> list) {
        if (list.size() > MAX_ITEMS) {
            throw new InvalidRequestException(field + ": at most " + MAX_ITEMS + " entries");
        }
    }
}
