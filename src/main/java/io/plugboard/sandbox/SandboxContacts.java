package io.plugboard.sandbox;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.plugboard.tenant.ConditionalOnDemoMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Each sandbox account's contacts, in memory: a few sample contacts on first use, at most
 * {@value #MAX_CONTACTS} per account and {@value #MAX_ACCOUNTS} accounts (the least recently used go).
 */
@Component
@ConditionalOnDemoMode
class SandboxContacts {

    static final int MAX_CONTACTS = 200;
    static final int MAX_ACCOUNTS = 1_000;

    record Contact(String id, String name, @Nullable String email, @Nullable String phone, @Nullable String company,
                   Instant createdAt, Instant updatedAt) {
    }

    private final Cache<String, List<Contact>> accounts = Caffeine.newBuilder().maximumSize(MAX_ACCOUNTS)
            .expireAfterAccess(Duration.ofDays(7)).build();
    private final Clock clock;

    SandboxContacts(Clock clock) {
        this.clock = clock;
    }

    List<Contact> all(String account) {
        var contacts = of(account);
        synchronized (contacts) {
            return List.copyOf(contacts);
        }
    }

    Optional<Contact> find(String account, String id) {
        return all(account).stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Returns empty when the account already holds {@value #MAX_CONTACTS} contacts. */
    Optional<Contact> add(String account, String name, @Nullable String email, @Nullable String phone,
                          @Nullable String company) {
        var contacts = of(account);
        synchronized (contacts) {
            if (contacts.size() >= MAX_CONTACTS) {
                return Optional.empty();
            }
            var contact = new Contact("c_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16), name,
                    email, phone, company, clock.instant(), clock.instant());
            contacts.add(contact);
            return Optional.of(contact);
        }
    }

    /** Replaces the fields given (null: unchanged); empty when the account has no such contact. */
    Optional<Contact> change(String account, String id, @Nullable String name, @Nullable String email,
                             @Nullable String phone, @Nullable String company) {
        var contacts = of(account);
        synchronized (contacts) {
            for (int i = 0; i < contacts.size(); i++) {
                Contact old = contacts.get(i);
                if (old.id().equals(id)) {
                    var changed = new Contact(id, name != null ? name : old.name(), email != null ? email : old.email(),
                            phone != null ? phone : old.phone(), company != null ? company : old.company(),
                            old.createdAt(), clock.instant());
                    contacts.set(i, changed);
                    return Optional.of(changed);
                }
            }
            return Optional.empty();
        }
    }

    private List<Contact> of(String account) {
        return accounts.get(account, key -> {
            Instant now = clock.instant();
            var samples = new ArrayList<Contact>();
            samples.add(new Contact("c_sample_1", "Ada Lovelace", "ada@analytical.example", "+44 20 7946 0001",
                    "Analytical Engines Ltd", now, now));
            samples.add(new Contact("c_sample_2", "Grace Hopper", "grace@cobol.example", "+1 202 555 0143",
                    "Compiler Homes", now, now));
            samples.add(new Contact("c_sample_3", "Katherine Johnson", "katherine@orbit.example", "+1 757 555 0199",
                    "Trajectory Realty", now, now));
            return samples;
        });
    }
}
