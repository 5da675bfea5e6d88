package io.plugboard.universal;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A CRM's contact, lead or person in the Universal model: the same fields whatever CRM holds it.
 *
 * @param originalIds the provider's own ids, by the provider's field name
 * @param original    the provider's untouched record, only with {@code include=original}
 */
@Schema(description = "A person (contact, lead) in the Universal CRM model", example = """
        {"id": "123", "firstName": "Mary", "lastName": "Mcmillan", "name": "Mary Mcmillan",
         "emails": [{"value": "mary@example.com", "type": "home", "isPrimary": true}],
         "phones": [{"value": "555-555-1234", "type": "mobile", "isPrimary": true}],
         "addresses": [{"type": "home", "street": "1 Main St", "city": "Scottsdale", "state": "AZ",
                        "postalCode": "85251", "country": "US"}],
         "tags": ["Buyer"], "stage": "Lead", "source": "Zillow", "assignedUserId": "7",
         "createdAt": "2012-04-23T02:23:11Z", "updatedAt": "2012-04-23T02:23:11Z",
         "originalIds": {"id": "123"}}""")
public record Person(
        @Schema(description = "The provider's id of the person, as a string", example = "123") String id,
        @Nullable String firstName,
        @Nullable String lastName,
        @Schema(description = "The full name (from the provider, or first and last name joined)") @Nullable String name,
        List<ContactPoint> emails,
        List<ContactPoint> phones,
        List<Address> addresses,
        List<String> tags,
        @Nullable String stage,
        @Nullable String source,
        @Schema(description = "The id of the CRM user (agent, owner) the person is assigned to") @Nullable String assignedUserId,
        @Schema(description = "ISO-8601 UTC", example = "2012-04-23T02:23:11Z") @Nullable String createdAt,
        @Schema(description = "ISO-8601 UTC", example = "2012-04-23T02:23:11Z") @Nullable String updatedAt,
        Map<String, String> originalIds,
        @Schema(description = "The provider's untouched record; only with include=original") @Nullable JsonNode original) {

    /** An e-mail address or phone number; not primary unless said. */
    @Schema(description = "An e-mail address or phone number")
    public record ContactPoint(@Schema(example = "mary@example.com") String value,
                               @Schema(example = "home") @Nullable String type,
                               @Schema(defaultValue = "false") Boolean isPrimary) {

        public ContactPoint {
            isPrimary = Boolean.TRUE.equals(isPrimary);
        }
    }

    @Schema(description = "A postal address")
    public record Address(@Nullable String type, @Nullable String street, @Nullable String city,
                          @Nullable String state, @Nullable String postalCode, @Nullable String country) {
    }
}
