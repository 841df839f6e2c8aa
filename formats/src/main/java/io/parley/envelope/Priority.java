package io.parley.envelope;

import java.util.Arrays;
import java.util.Optional;

/** Message priority; the channel charter sets acknowledgement and answer deadlines per priority. */
public enum Priority {
    FLASH, URGENT, ROUTINE;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Priority> fromWire(String s) {
        return Arrays.stream(values()).filter(p -> p.wire().equals(s)).findFirst();
    }
}
