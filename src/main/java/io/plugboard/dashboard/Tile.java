package io.plugboard.dashboard;

import java.util.List;

/**
 * One number on the dashboard.
 *
 * @param label     what it counts, e.g. "Proxy calls"
 * @param value     the number, formatted
 * @param hint      one line of context under it (the window, a breakdown)
 * @param tone      whether the number is good news, needs attention, or is neither
 * @param breakdown optional labelled parts of the value, listed under it
 */
public record Tile(String label, String value, String hint, Tone tone, List<Part> breakdown) {

    public enum Tone { NEUTRAL, GOOD, WARNING, CRITICAL }

    public record Part(String label, String value, Tone tone) {
    }

    public Tile {
        breakdown = List.copyOf(breakdown);
    }

    public static Tile of(String label, long value, String hint) {
        return new Tile(label, String.format("%,d", value), hint, Tone.NEUTRAL, List.of());
    }

    public Tile tone(Tone newTone) {
        return new Tile(label, value, hint, newTone, breakdown);
    }
}
