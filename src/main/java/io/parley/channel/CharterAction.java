package io.parley.channel;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;

/**
 * What a {@code charter} envelope says. Its body is one of {@code {"action":"propose","charter":{...}}},
 * {@code {"action":"amend","charter":{...}}} (the sender's signature on the envelope counts as the sender signing
 * those terms) and {@code {"action":"sign","charter_hash":"<hex>"}}, naming the {@link Charter#hash() hash} of the
 * terms signed.
 *
 * <p>This is the reading both the nodes ({@link CharterBook}) and the offline bundle verifier use, so a node and a
 * third party agree on which terms an envelope signed.
 */
public sealed interface CharterAction {
    record Propose(Charter charter) implements CharterAction {}

    record Amend(Charter charter) implements CharterAction {}

    record Sign(String charterHash) implements CharterAction {}

    /** The hash of the terms this action commits its sender to. */
    default String signedHash() {
        return switch (this) {
            case Propose p -> p.charter().hash();
            case Amend a -> a.charter().hash();
            case Sign s -> s.charterHash();
        };
    }

    /** Parses a charter envelope's body; throws {@link EnvelopeFormatException} naming the member at fault. */
    static CharterAction of(Envelope e) {
        JsonNode body = e.body();
        String action = body.path("action").asText("");
        return switch (action) {
            case "propose", "amend" -> {
                Charter c;
                try {
                    c = Charter.fromJson(body.get("charter"));
                } catch (EnvelopeFormatException ex) {
                    throw new EnvelopeFormatException("/body/charter" + ex.field(), ex.getMessage());
                }
                if (!c.channel().equals(e.channel())) throw new EnvelopeFormatException("/body/charter/channel", "the charter is for channel " + c.channel() + ", not " + e.channel());
                yield action.equals("propose") ? new Propose(c) : new Amend(c);
            }
            case "sign" -> {
                String h = body.path("charter_hash").asText("");
                if (!h.matches("[0-9a-f]{64}")) throw new EnvelopeFormatException("/body/charter_hash", "charter_hash must be a lowercase hex SHA-256");
                yield new Sign(h);
            }
            default -> throw new EnvelopeFormatException("/body/action", "a charter envelope's action must be propose, sign or amend");
        };
    }

    /** True if {@code e} commits its sender to the terms with {@code charterHash}; false if its body is malformed. */
    static boolean signs(Envelope e, String charterHash) {
        try {
            return of(e).signedHash().equals(charterHash);
        } catch (RuntimeException ex) {
            return false;
        }
    }
}
