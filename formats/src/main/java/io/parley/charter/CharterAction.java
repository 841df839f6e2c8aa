package io.parley.charter;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;

/**
 * What a charter envelope says: {@code {"action":"propose","charter":{...}}}, {@code {"action":"amend","charter":{...}}}
 * or {@code {"action":"sign","charter_hash":"<hex>"}}. A proposal or amendment counts as its author's signature of the
 * terms it carries; a signature names the terms by {@link Charter#hash()}, so every member signs exactly the same bytes.
 */
public sealed interface CharterAction {

    /** The hash of the terms this envelope signs. */
    String charterHash();

    record Propose(Charter charter) implements CharterAction {
        @Override
        public String charterHash() {
            return charter.hash();
        }
    }

    record Amend(Charter charter) implements CharterAction {
        @Override
        public String charterHash() {
            return charter.hash();
        }
    }

    record Sign(String charterHash) implements CharterAction {}

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
                    throw EnvelopeFormatException.inCharter("/body/charter" + ex.field(), ex.getMessage());
                }
                if (!c.channel().equals(e.channel())) throw EnvelopeFormatException.inCharter("/body/charter/channel", "the charter is for channel " + c.channel() + ", not " + e.channel());
                yield action.equals("propose") ? new Propose(c) : new Amend(c);
            }
            case "sign" -> {
                String h = body.path("charter_hash").asText("");
                if (!h.matches("[0-9a-f]{64}")) throw EnvelopeFormatException.inCharter("/body/charter_hash", "charter_hash must be a lowercase hex SHA-256");
                yield new Sign(h);
            }
            default -> throw EnvelopeFormatException.inCharter("/body/action", "a charter envelope's action must be propose, sign or amend");
        };
    }

    /** Whether envelope {@code e} is a well-formed charter envelope signing the terms with hash {@code charterHash}. */
    static boolean signs(Envelope e, String charterHash) {
        try {
            return of(e).charterHash().equals(charterHash);
        } catch (EnvelopeFormatException ex) {
            return false;
        }
    }
}
