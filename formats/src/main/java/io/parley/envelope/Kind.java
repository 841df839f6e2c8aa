package io.parley.envelope;

import java.util.Arrays;
import java.util.Optional;

/** Envelope kinds (DESIGN §2), with their wire names. */
public enum Kind {
    CHARTER, NOTIFY, REQUEST, ACK, ANSWER, UPDATE, CLOSE, PING, PONG, ESCALATE, RETRACT;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Kind> fromWire(String s) {
        return Arrays.stream(values()).filter(k -> k.wire().equals(s)).findFirst();
    }
}
