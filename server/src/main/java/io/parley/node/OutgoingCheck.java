package io.parley.node;

import java.util.List;

/**
 * A rule every envelope this node writes must pass before it is signed, whichever route asked for it (the API's
 * messages and cases, case actions, web forms, pings, escalations, the demo). {@link Composer} runs every check it
 * holds; no caller can reach the signing key around them.
 */
@FunctionalInterface
public interface OutgoingCheck {
    /** What is wrong with {@code draft}, as pointers into the envelope (e.g. {@code /body/stix/objects/0}); empty when it may go. */
    List<Fault> faults(Composer.Draft draft);

    /** The stable problem code of a refusal by this check. */
    default String code() {
        return "outgoing-refused";
    }

    /** A draft refused by an {@link OutgoingCheck}: nothing was signed. Mapped once at each edge (problem+json 422, web page). */
    final class Refused extends RuntimeException {
        private final String code;
        private final List<Fault> faults;

        public Refused(String code, String message, List<Fault> faults) {
            super(message, null, false, false);
            this.code = code;
            this.faults = List.copyOf(faults);
        }

        /** Stable problem code, e.g. {@code evidence-refused}. */
        public String code() {
            return code;
        }

        public List<Fault> faults() {
            return faults;
        }
    }
}
