package io.plugboard.sync;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Universal model as Sync to DB stores it: its table and the columns its fields fill, in the order
 * {@link SyncPages} gives their values. Columns in {@code jsonb} hold lists of structured values.
 */
public enum SyncModel {
    PEOPLE("people", "synced_people", List.of("first_name", "last_name", "name", "emails", "phones", "addresses",
            "tags", "stage", "source", "assigned_user_id", "search", "created_at", "updated_at"),
            Set.of("emails", "phones", "addresses", "tags")),
    NOTES("notes", "synced_notes", List.of("person_id", "body", "created_by_user_id", "created_at", "updated_at"),
            Set.of()),
    TASKS("tasks", "synced_tasks", List.of("person_id", "title", "description", "due_at", "completed",
            "completed_at", "assigned_user_id", "created_at", "updated_at"), Set.of()),
    USERS("users", "synced_users", List.of("name", "first_name", "last_name", "email", "role", "active"), Set.of());

    private final String key;
    private final String table;
    private final List<String> columns;
    private final Set<String> jsonColumns;

    SyncModel(String key, String table, List<String> columns, Set<String> jsonColumns) {
        this.key = key;
        this.table = table;
        this.columns = columns;
        this.jsonColumns = jsonColumns;
    }

    /** The name in the API and in the Universal CRM mappings: people, notes, tasks, users. */
    public String key() {
        return key;
    }

    String table() {
        return table;
    }

    List<String> columns() {
        return columns;
    }

    /** The columns a read gives back as the record: all but {@code search}, which only the q filter reads. */
    List<String> readColumns() {
        return columns.stream().filter(column -> !column.equals("search")).toList();
    }

    boolean isJson(String column) {
        return jsonColumns.contains(column);
    }

    public static Optional<SyncModel> of(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(SyncModel::key).toList();
    }
}
