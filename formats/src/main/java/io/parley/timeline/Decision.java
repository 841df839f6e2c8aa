package io.parley.timeline;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.EnvelopeFormatException;

/**
 * What a party decided about a case in its human acknowledgement (an {@code ack} envelope's body): the second stage
 * of the answer, after the automatic receipt that only says "delivered".
 *
 * <p>Body fields: {@code decision} ({@code accept}, {@code decline} or {@code defer}); {@code until} (RFC 3339 UTC,
 * defer only: after the ack's {@code created} time, at most {@link #MAX_DEFER} later); {@code reason} (free text, the
 * sender's original, with its BCP 47 {@code lang} tag); {@code reason_code} (one of {@link ReasonCode}, for decline
 * and defer). A decline gives a reason: a code, a text, or both. An ack without {@code decision} was written before
 * decisions existed and counts as an accept.
 *
 * <p>One rule, in one place: {@link #read} is what a node checks before signing its own ack, what it checks before
 * accepting a peer's, and what the timeline (and so the offline verifier) uses, so an ill-formed decision that a
 * dishonest peer signs anyway never moves a deadline anywhere.
 *
 * @param at the ack's signed {@code created} time
 * @param hash the ack envelope's hash
 */
public record Decision(Choice choice, Instant until, String reason, String lang, ReasonCode reasonCode, Instant at, String hash, boolean implicit) {

    /** The longest a party may put off its answer with one defer: a longer one is a decline and should say so. */
    public static final Duration MAX_DEFER = Duration.ofDays(366);
    /** Longest reason text, in characters: a reason, not a report (the envelope size limit applies anyway). */
    public static final int MAX_REASON = 4000;
    /** BCP 47 language tag, syntactically (RFC 5646 §2.1 in short: primary subtag, then subtags of up to 8). */
    private static final Pattern LANG = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,7}");

    public enum Choice {
        ACCEPT, DECLINE, DEFER;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Choice> fromWire(String s) {
            for (Choice c : values()) if (c.wire().equals(s)) return Optional.of(c);
            return Optional.empty();
        }
    }

    /**
     * The decision an ack body carries, sent at {@code created} in envelope {@code hash}.
     *
     * @throws EnvelopeFormatException naming the body field at fault when the decision is ill-formed
     */
    public static Decision read(JsonNode body, Instant created, String hash) {
        JsonNode d = body.get("decision");
        if (d == null || d.isNull()) {
            for (String f : new String[] {"until", "reason_code"}) {
                if (body.has(f)) throw new EnvelopeFormatException("/body/" + f, f + " needs a decision (accept, decline or defer)");
            }
            return new Decision(Choice.ACCEPT, null, null, null, null, created, hash, true);
        }
        Choice choice = Choice.fromWire(d.isTextual() ? d.asText() : "")
                .orElseThrow(() -> new EnvelopeFormatException("/body/decision", "decision must be accept, decline or defer"));
        String reason = optionalText(body, "reason", MAX_REASON);
        String lang = optionalText(body, "lang", 35);
        if (lang != null && !LANG.matcher(lang).matches()) throw new EnvelopeFormatException("/body/lang", "lang must be a BCP 47 language tag such as en or ru");
        if (reason != null && lang == null) throw new EnvelopeFormatException("/body/lang", "a reason carries the language it is written in (lang, e.g. en)");
        ReasonCode code = null;
        if (body.has("reason_code")) {
            String c = optionalText(body, "reason_code", 64);
            code = ReasonCode.fromWire(c == null ? "" : c).orElseThrow(() -> new EnvelopeFormatException("/body/reason_code",
                    "reason_code must be one of " + ReasonCode.list()));
            if (choice == Choice.ACCEPT) throw new EnvelopeFormatException("/body/reason_code", "a reason code explains a decline or a defer, not an accept");
        }
        if (choice == Choice.DECLINE && reason == null && code == null) {
            throw new EnvelopeFormatException("/body/reason", "a decline says why: a reason text, a reason_code, or both");
        }
        Instant until = null;
        if (choice == Choice.DEFER) {
            until = time(body, "until");
            if (!until.isAfter(created)) throw new EnvelopeFormatException("/body/until", "until must be after the acknowledgement's time " + created);
            if (until.isAfter(created.plus(MAX_DEFER))) {
                throw new EnvelopeFormatException("/body/until", "a defer is for at most " + MAX_DEFER.toDays() + " days; decline instead");
            }
        } else if (body.has("until")) {
            throw new EnvelopeFormatException("/body/until", "until is for a defer only");
        }
        return new Decision(choice, until, reason, lang, code, created, hash, false);
    }

    /** "decline (outside-jurisdiction): text [en]", "defer until T", "accept", for a line of text. */
    public String describe() {
        StringBuilder s = new StringBuilder(choice.wire());
        if (until != null) s.append(" until ").append(until);
        if (reasonCode != null) s.append(" (").append(reasonCode.wire()).append(')');
        if (reason != null) s.append(": \"").append(reason).append("\" [").append(lang).append(", original]");
        if (implicit) s.append(" (acknowledged without a decision)");
        return s.toString();
    }

    private static String optionalText(JsonNode body, String field, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new EnvelopeFormatException("/body/" + field, field + " must be a string");
        String s = n.asText().strip();
        if (s.isEmpty()) return null;
        if (s.codePointCount(0, s.length()) > max) throw new EnvelopeFormatException("/body/" + field, field + " is longer than " + max + " characters");
        return s;
    }

    private static Instant time(JsonNode body, String field) {
        JsonNode n = body.get(field);
        String s = n == null || !n.isTextual() ? "" : n.asText();
        if (s.isEmpty()) throw new EnvelopeFormatException("/body/" + field, "a defer says until when (" + field + ", an RFC 3339 UTC time)");
        try {
            // UTC only, as every time on the wire: "Z", no offsets, no years past 9999
            if (!s.endsWith("Z") || s.length() > 40) throw new DateTimeParseException("not UTC", s, 0);
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new EnvelopeFormatException("/body/" + field, field + " must be an RFC 3339 UTC time such as 2026-12-01T10:00:00Z");
        }
    }
}
