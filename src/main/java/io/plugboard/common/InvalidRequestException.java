package io.plugboard.common;

/** Input the user can fix; the message is written for them and shown as is. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
