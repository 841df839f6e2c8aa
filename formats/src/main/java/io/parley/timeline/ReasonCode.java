package io.parley.timeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The published list of reasons a party may give, besides free text, for declining or deferring a request
 * ({@link Decision}). Codes are wire values shared by every node and the offline verifier; the English label is for
 * people, and nodes render the code in their reader's language, so the reason survives translation. A code is never
 * removed or renamed once published (old envelopes carry it); new ones may be added.
 */
public enum ReasonCode {
    OUTSIDE_JURISDICTION("The matter is outside our jurisdiction (territory or networks we have no authority over)"),
    OUTSIDE_MANDATE("The matter is outside our organisation's mandate (another body in our country handles it)"),
    INSUFFICIENT_INFORMATION("The request does not carry enough information to act on"),
    LEGAL_OBSTACLE("Our law does not allow us to do what is asked, or not without a formal legal instrument"),
    NEEDS_HIGHER_LEVEL("The decision belongs to a higher level (policy or political) than this point of contact"),
    DUPLICATE("The same matter is already handled in another case"),
    RESOURCE_CONSTRAINTS("We cannot take this on now with the people and means we have");

    private final String label;

    ReasonCode(String label) {
        this.label = label;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What the code means, in English. */
    public String label() {
        return label;
    }

    public static Optional<ReasonCode> fromWire(String s) {
        return Arrays.stream(values()).filter(c -> c.wire().equals(s)).findFirst();
    }

    /** The codes' wire values, in published order, for error messages. */
    public static String list() {
        return String.join(", ", Arrays.stream(values()).map(ReasonCode::wire).toList());
    }
}
