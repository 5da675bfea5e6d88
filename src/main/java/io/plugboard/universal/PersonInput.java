package io.plugboard.universal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A person to create, or the fields to change (PATCH: only the fields present are sent to the CRM; a list given
 * replaces the CRM's list).
 */
@Schema(description = "A person to create, or the fields to change with PATCH (absent fields stay as they are)",
        example = """
        {"firstName": "Mary", "lastName": "Mcmillan",
         "emails": [{"value": "mary@example.com", "type": "home", "isPrimary": true}],
         "phones": [{"value": "555-555-1234", "type": "mobile", "isPrimary": true}],
         "tags": ["Buyer"], "stage": "Lead", "source": "Website"}""")
public record PersonInput(@Nullable String firstName, @Nullable String lastName, @Nullable String name,
                          @Nullable List<Person.ContactPoint> emails,
                          @Nullable List<Person.ContactPoint> phones,
                          @Nullable List<Person.Address> addresses,
                          @Nullable List<String> tags, @Nullable String stage, @Nullable String source,
                          @Nullable String assignedUserId) {
}
