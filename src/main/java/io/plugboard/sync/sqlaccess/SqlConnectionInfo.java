package io.plugboard.sync.sqlaccess;

/** Where a SQL login connects: the database Plugboard itself uses, as its own pool reaches it. */
public record SqlConnectionInfo(String host, int port, String database) {

    /** The psql command line, password asked for at the prompt. */
    public String psql(String roleName) {
        return "psql \"host=%s port=%d dbname=%s user=%s\"".formatted(host, port, database, roleName);
    }
}
