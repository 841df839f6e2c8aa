package io.parley.charter;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.KeyNames;
import io.parley.identity.Sha256;
import io.parley.identity.VerifierKey;
import io.parley.json.Jcs;
import io.parley.json.Json;

/** The terms of a channel. Its JSON form is the body of a {@code charter} envelope. */
public record Charter(String channel, String title, Level level, List<Member> members,
                      Map<Priority, Deadlines> deadlines, Tlp tlpCeiling, List<Rung> escalation, Practice practice) {

    /** A member party and the key its envelopes in this channel must verify under. */
    public record Member(String origin, VerifierKey key, String baseUrl) {}

    /** How long the recipient has to acknowledge and to answer a message of one priority. */
    public record Deadlines(Duration ack, Duration answer) {}

    /** One step of the escalation ladder: when a deadline is missed by {@code after}, notify {@code role}. */
    public record Rung(Duration after, String role, String contact) {}

    /** Terms with the default {@link Practice}: no commitments, no schedules, 5 minutes of clock skew. */
    public Charter(String channel, String title, Level level, List<Member> members, Map<Priority, Deadlines> deadlines,
                   Tlp tlpCeiling, List<Rung> escalation) {
        this(channel, title, level, members, deadlines, tlpCeiling, escalation, Practice.DEFAULT);
    }

    public Charter {
        if (practice == null) practice = Practice.DEFAULT;
        members = List.copyOf(members);
        deadlines = Map.copyOf(deadlines);
        escalation = List.copyOf(escalation);
        Set<String> seen = new HashSet<>();
        for (Member m : members) {
            if (!seen.add(m.origin())) throw EnvelopeFormatException.inCharter("/members", "member " + m.origin() + " is listed twice");
            if (!m.key().name().equals(m.origin())) throw EnvelopeFormatException.inCharter("/members", "the key of " + m.origin() + " is named " + m.key().name());
        }
        if (members.size() < 2) throw EnvelopeFormatException.inCharter("/members", "a channel needs at least two members");
        for (Priority p : Priority.values()) {
            if (!deadlines.containsKey(p)) throw EnvelopeFormatException.inCharter("/deadlines/" + p.wire(), "deadlines for " + p.wire() + " are missing");
        }
    }

    /** The same terms with {@code practice} in place of these. */
    public Charter withPractice(Practice practice) {
        return new Charter(channel, title, level, members, deadlines, tlpCeiling, escalation, practice);
    }

    public Optional<Member> member(String origin) {
        return members.stream().filter(m -> m.origin().equals(origin)).findFirst();
    }

    public boolean bilateral() {
        return members.size() == 2;
    }

    /** The hex SHA-256 of these terms in their RFC 8785 form: what every member's signature envelope names. */
    public String hash() {
        return Sha256.hex(Jcs.canonicalize(toJson()));
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("channel", channel);
        o.put("title", title);
        o.put("level", level.wire());
        ArrayNode ms = o.putArray("members");
        for (Member m : members) {
            ObjectNode mo = ms.addObject();
            mo.put("origin", m.origin());
            mo.put("verifier_key", m.key().encoded());
            if (m.baseUrl() != null) mo.put("base_url", m.baseUrl());
        }
        ObjectNode ds = o.putObject("deadlines");
        for (Priority p : Priority.values()) {
            Deadlines d = deadlines.get(p);
            ds.putObject(p.wire()).put("ack", d.ack().toString()).put("answer", d.answer().toString());
        }
        o.put("tlp_ceiling", tlpCeiling.wire());
        ArrayNode es = o.putArray("escalation");
        for (Rung r : escalation) {
            ObjectNode ro = es.addObject().put("after", r.after().toString()).put("role", r.role());
            if (r.contact() != null) ro.put("contact", r.contact());
        }
        practice.writeTo(o);
        return o;
    }

    /** Parses a charter; throws {@link EnvelopeFormatException} naming the JSON pointer of the first fault. */
    public static Charter fromJson(JsonNode o) {
        if (o == null || !o.isObject()) throw EnvelopeFormatException.inCharter("", "a charter must be a JSON object");
        String channel = text(o, "channel", "/channel");
        if (!KeyNames.isValid(channel) || channel.length() > 200) throw EnvelopeFormatException.inCharter("/channel", "channel must be an identifier without spaces or '+'");
        String title = o.hasNonNull("title") ? text(o, "title", "/title") : channel;
        String levelText = text(o, "level", "/level");
        Level level = Level.fromWire(levelText).orElseThrow(() -> EnvelopeFormatException.inCharter("/level", "level must be technical, operational or political"));
        JsonNode ms = o.get("members");
        if (ms == null || !ms.isArray()) throw EnvelopeFormatException.inCharter("/members", "members must be an array");
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String at = "/members/" + i;
            String origin = text(m, "origin", at + "/origin");
            VerifierKey key;
            try {
                key = VerifierKey.parse(text(m, "verifier_key", at + "/verifier_key"));
            } catch (IllegalArgumentException e) {
                if (e instanceof EnvelopeFormatException efe) throw efe;
                throw EnvelopeFormatException.inCharter(at + "/verifier_key", e.getMessage());
            }
            members.add(new Member(origin, key, m.hasNonNull("base_url") ? text(m, "base_url", at + "/base_url") : null));
        }
        JsonNode ds = o.get("deadlines");
        if (ds == null || !ds.isObject()) throw EnvelopeFormatException.inCharter("/deadlines", "deadlines must be an object with flash, urgent and routine");
        Map<Priority, Deadlines> deadlines = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            JsonNode d = ds.get(p.wire());
            String at = "/deadlines/" + p.wire();
            if (d == null || !d.isObject()) throw EnvelopeFormatException.inCharter(at, "deadlines for " + p.wire() + " are missing");
            deadlines.put(p, new Deadlines(duration(d, "ack", at + "/ack", false), duration(d, "answer", at + "/answer", false)));
        }
        String ceiling = text(o, "tlp_ceiling", "/tlp_ceiling");
        Tlp tlp = Tlp.fromWire(ceiling).orElseThrow(() -> EnvelopeFormatException.inCharter("/tlp_ceiling", "tlp_ceiling must be clear, green, amber, amber+strict or red"));
        List<Rung> ladder = new ArrayList<>();
        JsonNode es = o.get("escalation");
        if (es != null && !es.isNull()) {
            if (!es.isArray()) throw EnvelopeFormatException.inCharter("/escalation", "escalation must be an array");
            for (int i = 0; i < es.size(); i++) {
                JsonNode r = es.get(i);
                String at = "/escalation/" + i;
                ladder.add(new Rung(duration(r, "after", at + "/after", true), text(r, "role", at + "/role"),
                        r.hasNonNull("contact") ? text(r, "contact", at + "/contact") : null));
            }
        }
        return new Charter(channel, title, level, members, deadlines, tlp, ladder, Practice.fromJson(o));
    }

    private static String text(JsonNode o, String name, String at) {
        JsonNode v = o == null ? null : o.get(name);
        if (v == null || v.isNull()) throw EnvelopeFormatException.inCharter(at, name + " is missing");
        if (!v.isTextual() || v.textValue().isBlank()) throw EnvelopeFormatException.inCharter(at, name + " must be a non-empty string");
        return v.textValue();
    }

    private static Duration duration(JsonNode o, String name, String at, boolean zeroAllowed) {
        String s = text(o, name, at);
        try {
            Duration d = Duration.parse(s);
            if (d.isNegative() || d.isZero() && !zeroAllowed) throw EnvelopeFormatException.inCharter(at, name + " must be a positive duration");
            return d;
        } catch (DateTimeParseException e) {
            throw EnvelopeFormatException.inCharter(at, name + " must be an ISO 8601 duration such as PT15M");
        }
    }
}
