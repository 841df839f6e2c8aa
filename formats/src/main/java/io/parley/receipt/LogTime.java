package io.parley.receipt;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.identity.CanonicalBase64;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.json.Jcs;
import io.parley.json.Json;

/**
 * A node's signed word of when it logged an envelope ({@value #FORMAT}): {@code log} (the node's origin),
 * {@code envelope} (the envelope's hash), {@code logged_at} (RFC 3339 UTC, milliseconds) and {@code sig}, the log
 * key's Ed25519 signature over the RFC 8785 form of the other members.
 *
 * <p>A receipt's checkpoint says that the recipient logged the envelope, not when: C2SP checkpoints carry no time.
 * This statement travels with the receipt (member {@code logged}) so the sender keeps signed evidence of when each
 * recipient had its envelope, and a case bundle carries it so the offline verifier can check a sender's
 * {@code created} time against it. The {@code format} member is part of the signed bytes, so a signature over an
 * envelope, a card or a bundle never passes for one of these. Ed25519 is deterministic: the node signs the same
 * statement again, byte for byte, whenever it is asked for the same envelope.
 */
public record LogTime(String log, String envelope, Instant loggedAt, String sig) {
    public static final String FORMAT = "parley-receipt/v1";

    public LogTime {
        loggedAt = loggedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The statement {@code key} (the log key of {@code log}) signs for {@code envelope} logged at {@code loggedAt}. */
    public static LogTime sign(SigningKey key, String log, String envelope, Instant loggedAt) {
        LogTime unsigned = new LogTime(log, envelope, loggedAt, null);
        return new LogTime(log, envelope, loggedAt, Base64.getEncoder().encodeToString(key.sign(unsigned.signedBytes())));
    }

    /** True if {@code sig} is {@code log}'s signature under {@code key} over exactly these members. */
    public boolean verifies(VerifierKey key) {
        if (sig == null) return false;
        byte[] s = CanonicalBase64.decode(sig);
        return s != null && key.verify(signedBytes(), s);
    }

    private byte[] signedBytes() {
        ObjectNode o = Json.object().put("format", FORMAT).put("log", log).put("envelope", envelope).put("logged_at", loggedAt.toString());
        return Jcs.canonicalize(o);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("format", FORMAT).put("log", log).put("envelope", envelope).put("logged_at", loggedAt.toString());
        o.put("sig", sig);
        return o;
    }

    /**
     * The log time a receipt carries (member {@code logged}) if it is {@code log}'s signed statement under {@code key}
     * for exactly {@code envelope}; empty for a receipt from a node that gives none, or one that does not hold.
     */
    public static Optional<LogTime> in(JsonNode receipt, String log, String envelope, VerifierKey key) {
        JsonNode j = receipt.get("logged");
        if (j == null) return Optional.empty();
        try {
            LogTime t = fromJson(j);
            return t.log().equals(log) && t.envelope().equals(envelope) && t.verifies(key) ? Optional.of(t) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Reads a statement; throws {@link IllegalArgumentException} with a reason when it is not one. */
    public static LogTime fromJson(JsonNode j) {
        if (!j.isObject() || !FORMAT.equals(j.path("format").asText())) throw new IllegalArgumentException("not a " + FORMAT + " statement");
        for (String f : new String[] {"log", "envelope", "logged_at", "sig"}) {
            if (!j.path(f).isTextual()) throw new IllegalArgumentException(FORMAT + " needs " + f);
        }
        Instant at;
        try {
            at = Instant.parse(j.get("logged_at").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("logged_at must be an RFC 3339 UTC time");
        }
        LogTime t = new LogTime(j.get("log").asText(), j.get("envelope").asText(), at, j.get("sig").asText());
        // a time with sub-millisecond digits would be re-spelled, so it could not verify: say so plainly
        if (!t.loggedAt().equals(at)) throw new IllegalArgumentException("logged_at has more than millisecond precision");
        return t;
    }
}
