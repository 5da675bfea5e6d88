package io.plugboard.mcp;

import io.plugboard.universal.Person;

/**
 * What an assistant wants to know about one person at once. Built from the Universal CRM operations the engine
 * has; as notes and tasks become operations of their own, a person's recent notes and open tasks join here as
 * members, each read through the same credential (a CRM that cannot list them says so in its member rather than
 * failing the whole overview).
 */
record PersonOverview(Person person) {
}
