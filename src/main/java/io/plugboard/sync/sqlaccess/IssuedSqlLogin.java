package io.plugboard.sync.sqlaccess;

/** A login with the password just set: the only time it exists outside its owner's hands. */
public record IssuedSqlLogin(String roleName, String password) {

    @Override
    public String toString() {
        return "IssuedSqlLogin[" + roleName + "]";
    }
}
