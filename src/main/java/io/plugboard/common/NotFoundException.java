package io.plugboard.common;

/** Nothing by that id in the caller's scope; the same answer whether it exists elsewhere or not. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what + " not found");
    }
}
