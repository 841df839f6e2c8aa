package io.parley.charter;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.EnvelopeFormatException;

/**
 * How the members conduct themselves on the line beyond the deadlines: the clock skew they tolerate between a
 * sender's signed {@code created} time and the recipient's log time, the commitments they subscribe to, how often
 * each re-confirms its points of contact, and the scheduled ping exercises.
 *
 * <p>Every term is optional and written to the charter's JSON only when it differs from its default, so a charter
 * that names none of them has the same canonical form, and so the same hash, as before these terms existed.
 *
 * @param clockSkew tolerated difference between a signed {@code created} time and the recipient's log time
 * @param commitments what the members subscribe to: catalogue ids ({@code text} null) or free-form ones
 * @param contactReconfirmation how often each member re-confirms its points of contact; null: no schedule
 * @param pingExercises scheduled line tests, each a ping at a fixed UTC time
 */
public record Practice(Duration clockSkew, List<Commitment> commitments, Duration contactReconfirmation,
                       List<PingExercise> pingExercises) {

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Practice DEFAULT = new Practice(DEFAULT_CLOCK_SKEW, List.of(), null, List.of());
    /** Free-form commitments carry ids in this namespace, so they never collide with the shipped catalogue's. */
    public static final String FREE_FORM_PREFIX = "free:";

    /**
     * A commitment the members subscribe to. A catalogue entry is named by its id alone (its wording ships with
     * Parley); a free-form one has an id starting with {@value #FREE_FORM_PREFIX} and the members' own text.
     */
    public record Commitment(String id, String text) {
        public boolean freeForm() {
            return id.startsWith(FREE_FORM_PREFIX);
        }
    }

    /**
     * A scheduled ping exercise: a ping in {@code mode} ({@code human} or {@code auto}) at {@code at} UTC, every day
     * ({@code day} null) or every week on {@code day}.
     */
    public record PingExercise(DayOfWeek day, LocalTime at, String mode) {
        public PingExercise {
            if (!mode.equals("human") && !mode.equals("auto")) throw new IllegalArgumentException("mode must be human or auto");
        }

        /** The time between two slots: a day, or a week. */
        public Duration period() {
            return day == null ? Duration.ofDays(1) : Duration.ofDays(7);
        }

        /** The latest slot at or before {@code now}. */
        public Instant latestSlot(Instant now) {
            ZonedDateTime t = now.atZone(ZoneOffset.UTC);
            ZonedDateTime slot = t.toLocalDate().atTime(at).atZone(ZoneOffset.UTC);
            if (day != null) slot = slot.with(TemporalAdjusters.previousOrSame(day));
            if (slot.isAfter(t)) slot = slot.minus(period());
            return slot.toInstant();
        }

        /** The first slot after {@code now}. */
        public Instant nextSlot(Instant now) {
            return latestSlot(now).plus(period());
        }

        /**
         * The slot's number in an endless count of this exercise's slots (slots are exactly one period apart), so
         * every member computes the same turn from the slot alone.
         */
        public long slotNumber(Instant slot) {
            return Math.floorDiv(slot.getEpochSecond(), period().getSeconds());
        }

        /** "monday 10:00 UTC, human ping", for people. */
        public String describe() {
            return (day == null ? "every day" : "every " + day.name().toLowerCase(Locale.ROOT)) + " " + at + " UTC, " + mode + " ping";
        }
    }

    public Practice {
        if (clockSkew == null) clockSkew = DEFAULT_CLOCK_SKEW;
        commitments = List.copyOf(commitments);
        pingExercises = List.copyOf(pingExercises);
        Set<String> ids = new HashSet<>();
        for (Commitment c : commitments) {
            if (!ids.add(c.id())) throw EnvelopeFormatException.inCharter("/commitments", "commitment " + c.id() + " is listed twice");
        }
    }

    public Optional<Duration> contactReconfirmationEvery() {
        return Optional.ofNullable(contactReconfirmation);
    }

    /** Writes the terms that differ from their defaults into {@code charter}. */
    void writeTo(ObjectNode charter) {
        if (!clockSkew.equals(DEFAULT_CLOCK_SKEW)) charter.put("clock_skew", clockSkew.toString());
        if (!commitments.isEmpty()) {
            ArrayNode cs = charter.putArray("commitments");
            for (Commitment c : commitments) {
                if (c.text() == null) cs.add(c.id());
                else cs.addObject().put("id", c.id()).put("text", c.text());
            }
        }
        if (contactReconfirmation != null) charter.put("contacts_reconfirm", contactReconfirmation.toString());
        if (!pingExercises.isEmpty()) {
            ArrayNode ps = charter.putArray("ping_exercises");
            for (PingExercise p : pingExercises) {
                ObjectNode po = ps.addObject().put("every", p.day() == null ? "day" : p.day().name().toLowerCase(Locale.ROOT));
                po.put("at", p.at().toString()).put("mode", p.mode());
            }
        }
    }

    /** Reads the terms from a charter's JSON; throws {@link EnvelopeFormatException} naming the JSON pointer of a fault. */
    static Practice fromJson(JsonNode o) {
        Duration skew = o.hasNonNull("clock_skew") ? duration(o.get("clock_skew"), "/clock_skew") : DEFAULT_CLOCK_SKEW;
        List<Commitment> commitments = new ArrayList<>();
        JsonNode cs = o.get("commitments");
        if (cs != null && !cs.isNull()) {
            if (!cs.isArray()) throw EnvelopeFormatException.inCharter("/commitments", "commitments must be an array");
            for (int i = 0; i < cs.size(); i++) commitments.add(commitment(cs.get(i), "/commitments/" + i));
        }
        Duration reconfirm = o.hasNonNull("contacts_reconfirm") ? duration(o.get("contacts_reconfirm"), "/contacts_reconfirm") : null;
        List<PingExercise> pings = new ArrayList<>();
        JsonNode ps = o.get("ping_exercises");
        if (ps != null && !ps.isNull()) {
            if (!ps.isArray()) throw EnvelopeFormatException.inCharter("/ping_exercises", "ping_exercises must be an array");
            for (int i = 0; i < ps.size(); i++) pings.add(pingExercise(ps.get(i), "/ping_exercises/" + i));
        }
        return new Practice(skew, commitments, reconfirm, pings);
    }

    private static Commitment commitment(JsonNode c, String at) {
        if (c.isTextual()) {
            String id = c.textValue();
            if (id.isBlank() || id.length() > 100) throw EnvelopeFormatException.inCharter(at, "a commitment id must be a short non-empty string");
            if (id.startsWith(FREE_FORM_PREFIX)) throw EnvelopeFormatException.inCharter(at, "a free-form commitment needs its text: {\"id\": \"" + id + "\", \"text\": \"...\"}");
            return new Commitment(id, null);
        }
        if (!c.isObject()) throw EnvelopeFormatException.inCharter(at, "a commitment is a catalogue id or an object with id and text");
        String id = c.path("id").asText("");
        String text = c.path("text").asText("");
        if (!id.startsWith(FREE_FORM_PREFIX) || id.length() <= FREE_FORM_PREFIX.length() || id.length() > 100 || id.contains(" ")) {
            throw EnvelopeFormatException.inCharter(at + "/id", "a free-form commitment's id starts with '" + FREE_FORM_PREFIX + "' and has no spaces");
        }
        if (text.isBlank() || text.length() > 4000) throw EnvelopeFormatException.inCharter(at + "/text", "a free-form commitment needs its text (at most 4000 characters)");
        return new Commitment(id, text);
    }

    private static PingExercise pingExercise(JsonNode p, String at) {
        if (!p.isObject()) throw EnvelopeFormatException.inCharter(at, "a ping exercise is an object with every, at and mode");
        String every = p.path("every").asText("");
        DayOfWeek day = null;
        if (!every.equals("day")) {
            try {
                day = DayOfWeek.valueOf(every.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw EnvelopeFormatException.inCharter(at + "/every", "every must be day or a weekday such as monday");
            }
        }
        LocalTime time;
        try {
            time = LocalTime.parse(p.path("at").asText(""));
        } catch (DateTimeParseException e) {
            throw EnvelopeFormatException.inCharter(at + "/at", "at must be a UTC time of day such as 10:00");
        }
        String mode = p.path("mode").asText("human");
        if (!mode.equals("human") && !mode.equals("auto")) throw EnvelopeFormatException.inCharter(at + "/mode", "mode must be human or auto");
        return new PingExercise(day, time, mode);
    }

    private static Duration duration(JsonNode v, String at) {
        try {
            Duration d = Duration.parse(v.asText(""));
            if (d.isNegative() || d.isZero()) throw EnvelopeFormatException.inCharter(at, at.substring(1) + " must be a positive duration");
            return d;
        } catch (DateTimeParseException e) {
            throw EnvelopeFormatException.inCharter(at, at.substring(1) + " must be an ISO 8601 duration such as PT5M");
        }
    }
}
