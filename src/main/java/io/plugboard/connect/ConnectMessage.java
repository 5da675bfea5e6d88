package io.plugboard.connect;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Something the connect page tells the end user, kept as a key of the connect texts and its arguments so that each
 * page words it in its own language ({@link ConnectTexts}).
 */
public record ConnectMessage(String key, List<String> args) {

    public ConnectMessage {
        args = List.copyOf(args);
    }

    /** A missing argument (an exception without a message) is left blank rather than failing the page. */
    public static ConnectMessage of(String key, @Nullable String... args) {
        return new ConnectMessage(key, Arrays.stream(args).map(a -> a == null ? "" : a).toList());
    }

    public String english() {
        return ConnectTexts.ENGLISH.get(this);
    }
}
