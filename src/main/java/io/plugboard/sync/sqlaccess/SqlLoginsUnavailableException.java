package io.plugboard.sync.sqlaccess;

/** The database refuses to manage roles: its owner role lacks CREATEROLE (docs/operations.md). */
public class SqlLoginsUnavailableException extends RuntimeException {

    SqlLoginsUnavailableException(Throwable cause) {
        super("SQL logins are not available: the database owner role needs CREATEROLE (see the operations guide).",
                cause);
    }
}
