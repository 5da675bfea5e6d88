package io.plugboard.connect;

import java.util.List;

/**
 * Something the connect page tells the end user, kept as a key of the connect texts and its arguments so that each
 * page words it in its own language ({@link ConnectTexts}).
 */
public record ConnectMessage(String key, List<String> args) {

    public ConnectMessage {
        args = List.copyOf(args);
    }

    public static ConnectMessage of(String key, String... args) {
        return new ConnectMessage(key, List.of(args));
    }

    public String english() {
        return ConnectTexts.ENGLISH.get(this);
    }
}
