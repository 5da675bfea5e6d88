package io.plugboard.proxy;

/** A proxied call that cannot be made or completed; carries the HTTP status and a problem type for the caller. */
public class ProxyException extends RuntimeException {

    private final int status;
    private final String type;

    public ProxyException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
