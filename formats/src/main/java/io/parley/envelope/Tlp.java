package io.parley.envelope;

import java.util.Arrays;
import java.util.Optional;

/**
 * FIRST Traffic Light Protocol 2.0 labels, ordered from least to most restrictive so that a channel's TLP ceiling is
 * a simple comparison.
 */
public enum Tlp {
    CLEAR("clear"), GREEN("green"), AMBER("amber"), AMBER_STRICT("amber+strict"), RED("red");

    private final String wire;

    Tlp(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** True when this label is more restrictive than {@code ceiling}, i.e. it may not travel on such a channel. */
    public boolean exceeds(Tlp ceiling) {
        return compareTo(ceiling) > 0;
    }

    public static Optional<Tlp> fromWire(String s) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(s)).findFirst();
    }
}
