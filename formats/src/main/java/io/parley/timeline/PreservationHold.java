package io.parley.timeline;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;

/**
 * The hold a preservation request opens (Budapest Convention Art. 29): the requested party keeps the data described
 * in the request until {@link #until}. Pure, like {@link CaseTimeline}: the node, the report and the offline verifier
 * compute the same hold from the same signed envelopes.
 *
 * <p>Rules: the hold runs from the request's {@code created} time for {@code body.hold_days} days, at least
 * {@value #MINIMUM_DAYS} (the Convention's minimum; a request naming fewer, or no valid number, holds for the
 * minimum, so no sender can shorten it). Only the opener changes it: an {@code update} with
 * {@code hold_extend_days} adds days, one with {@code hold_until} moves the end to that later time, either only while
 * the hold is still running; its {@code close} or {@code retract} releases it. The same fields from any other member
 * are on record in the case and change nothing.
 *
 * @param days the days the request asked for, after the minimum was applied
 * @param until when the hold ends, after every extension
 * @param extensions the opener's extensions that counted, in order
 * @param releasedAt when the opener released the hold, or null
 */
public record PreservationHold(int days, Instant until, List<Extension> extensions, Instant releasedAt) {
    public static final int MINIMUM_DAYS = 60;
    /** Ten years: an upper bound on one request's or one extension's days, so the arithmetic stays in range. */
    public static final int MAXIMUM_DAYS = 3650;
    public static final String REQUEST_TYPE = "preservation";

    /** One extension by the opener: the envelope that made it, when, and the end it set. */
    public record Extension(Instant at, String hash, Instant until) {}

    /** Where a hold stands at some moment. */
    public enum State {
        ACTIVE, EXPIRED, RELEASED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public PreservationHold {
        extensions = List.copyOf(extensions);
    }

    public State state(Instant now) {
        if (releasedAt != null && releasedAt.isBefore(until) && !now.isBefore(releasedAt)) return State.RELEASED;
        return now.isBefore(until) ? State.ACTIVE : State.EXPIRED;
    }

    /** Time left before the hold ends; zero once it has ended or was released. */
    public Duration remaining(Instant now) {
        return state(now) == State.ACTIVE ? Duration.between(now, until) : Duration.ZERO;
    }

    /** The hold of a case opened by {@code opening}, from the case's envelopes in time order; null when it is no preservation request. */
    static PreservationHold of(CaseTimeline.Item opening, List<CaseTimeline.Item> byTime) {
        Envelope o = opening.envelope();
        if (o.kind() != Kind.REQUEST || !REQUEST_TYPE.equals(o.body().path("type").asText(null))) return null;
        int days = days(o.body().get("hold_days")).filter(d -> d >= MINIMUM_DAYS).orElse(MINIMUM_DAYS);
        Instant until = o.createdAt().plus(Duration.ofDays(days));
        Instant released = null;
        List<Extension> extensions = new ArrayList<>();
        for (CaseTimeline.Item item : byTime) {
            Envelope e = item.envelope();
            if (item == opening || !e.from().equals(o.from()) || e.createdAt().isBefore(o.createdAt())) continue;
            if (e.kind() == Kind.CLOSE || e.kind() == Kind.RETRACT) {
                released = e.createdAt();
                break;
            }
            if (e.kind() != Kind.UPDATE || !e.createdAt().isBefore(until)) continue; // an expired hold is not revived
            Instant next = extendedUntil(e.body(), until);
            if (next != null && next.isAfter(until)) {
                until = next;
                extensions.add(new Extension(e.createdAt(), item.hash(), until));
            }
        }
        return new PreservationHold(days, until, extensions, released);
    }

    /** The end an update asks for: {@code hold_extend_days} more days, or {@code hold_until}; null when it asks for none. */
    private static Instant extendedUntil(JsonNode body, Instant until) {
        var more = days(body.get("hold_extend_days")).filter(d -> d > 0);
        if (more.isPresent()) return until.plus(Duration.ofDays(more.get()));
        JsonNode at = body.get("hold_until");
        if (at == null || !at.isTextual()) return null;
        try {
            Instant t = Instant.parse(at.textValue());
            // no single step past the bound, so a hostile time cannot push the arithmetic out of range
            return t.isAfter(until.plus(Duration.ofDays(MAXIMUM_DAYS))) ? null : t;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A whole number of days within {@link #MAXIMUM_DAYS}, if {@code v} is one. */
    public static java.util.Optional<Integer> days(JsonNode v) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) return java.util.Optional.empty();
        int d = v.intValue();
        return d < 0 || d > MAXIMUM_DAYS ? java.util.Optional.empty() : java.util.Optional.of(d);
    }
}
