package io.parley.evidence;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Permissible Actions Protocol levels (MISP taxonomy {@code PAP}; STIX form: the OASIS "PAP Marking Definition for
 * STIX 2.1", extension {@code extension-definition--f8d78575-edfd-406e-8e84-6162a8450f5b}). PAP says what a recipient
 * may <em>do</em> with the data (e.g. whether it may query it against external services), independently of TLP,
 * which says who may <em>see</em> it. Ordered least to most restrictive; {@code PAP:WHITE} is read as CLEAR, as
 * TLP 2.0 did for WHITE.
 */
public enum Pap {
    CLEAR("clear"), GREEN("green"), AMBER("amber"), RED("red");

    private final String wire;

    Pap(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** True when this level is more restrictive than {@code ceiling}. */
    public boolean exceeds(Pap ceiling) {
        return compareTo(ceiling) > 0;
    }

    /** Parses {@code clear}, {@code white} (as CLEAR), {@code green}, {@code amber}, {@code red}; case-insensitive. */
    public static Optional<Pap> fromWire(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String l = s.toLowerCase(Locale.ROOT);
        if (l.equals("white")) {
            return Optional.of(CLEAR);
        }
        return Arrays.stream(values()).filter(p -> p.wire.equals(l)).findFirst();
    }
}
