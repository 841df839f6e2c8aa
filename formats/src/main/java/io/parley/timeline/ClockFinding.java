package io.parley.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.parley.envelope.Envelope;

/**
 * An envelope whose signed {@code created} time is further from its recipient's log time than the charter tolerates
 * ({@link io.parley.charter.Practice#clockSkew()}). {@code skew} is log time minus created time: positive when the
 * sender dated it earlier than it was logged (backdated, or held back in transit), negative when later
 * (forward-dated). Such an envelope counts at its log time: a deadline runs from when the other side could have had
 * the message, and an acknowledgement counts from when it arrived, whatever its sender wrote.
 */
public record ClockFinding(String envelope, String sender, Instant created, LoggedAt logged, Duration skew) {

    public enum Direction {
        BACKDATED, FORWARD_DATED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Direction direction() {
        return skew.isNegative() ? Direction.FORWARD_DATED : Direction.BACKDATED;
    }

    /**
     * The finding for envelope {@code e} with hash {@code hash}, if its earliest recipient log time in
     * {@code loggedAt} is known and differs from its {@code created} by more than {@code tolerance}. A log time by
     * the sender itself is no evidence against it and is ignored; no log time known: the sender's word stands.
     */
    static Optional<ClockFinding> of(Envelope e, String hash, Map<String, LoggedAt> loggedAt, Duration tolerance) {
        LoggedAt l = loggedAt.get(hash);
        if (l == null || l.by().equals(e.from())) return Optional.empty();
        Duration skew = Duration.between(e.createdAt(), l.at());
        if (skew.abs().compareTo(tolerance) <= 0) return Optional.empty();
        return Optional.of(new ClockFinding(hash, e.from(), e.createdAt(), l, skew));
    }
}
