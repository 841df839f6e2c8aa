package io.parley.charter;

import java.util.Arrays;
import java.util.Optional;

/** The level a channel operates at: who is expected on the other end. */
public enum Level {
    TECHNICAL, OPERATIONAL, POLITICAL;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Level> fromWire(String s) {
        return Arrays.stream(values()).filter(l -> l.wire().equals(s)).findFirst();
    }
}
