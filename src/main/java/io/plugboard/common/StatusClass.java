package io.plugboard.common;

/** HTTP status classes as metric label values: five fixed strings, so a label never takes a status's own number. */
public final class StatusClass {

    private static final String[] LABELS = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private StatusClass() {
    }

    /** 0 to 4 for 1xx to 5xx; anything else (no answer at all) counts as 5xx. */
    public static int index(int status) {
        int i = status / 100 - 1;
        return i >= 0 && i < LABELS.length ? i : LABELS.length - 1;
    }

    public static String label(int index) {
        return LABELS[index];
    }

    public static int count() {
        return LABELS.length;
    }
}
