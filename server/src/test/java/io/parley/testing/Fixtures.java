package io.parley.testing;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;

/** Small builders shared by tests. */
public final class Fixtures {
    private Fixtures() {}

    public static Charter charter(String channel, Tlp ceiling, SigningKey... members) {
        Map<Priority, Charter.Deadlines> deadlines = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) deadlines.put(p, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
        List<Charter.Member> ms = java.util.Arrays.stream(members).map(k -> new Charter.Member(k.name(), k.verifierKey(), null)).toList();
        return new Charter(channel, "test channel", Level.OPERATIONAL, ms, deadlines, ceiling, List.of());
    }

    /** A party card for a bare test key, as a peer would publish it. */
    public static io.parley.identity.PartyCard card(SigningKey key, String baseUrl) {
        var unsigned = new io.parley.identity.PartyCard(key.name(), key.name(), "CERT", "XZ", key.verifierKey(), baseUrl, List.of(),
                "2026-01-01T00:00:00Z", null, null, null, null, null, null);
        return io.parley.identity.PartyCard.sign(unsigned, key);
    }

    /** {@code key}'s charter envelope signing {@code charter}, at {@code seq} after {@code prev}. */
    public static Envelope signCharter(SigningKey key, Charter charter, long seq, String prev) {
        var body = Json.object().put("action", "sign").put("charter_hash", charter.hash());
        Envelope draft = new Envelope(1, charter.channel(), key.name(), seq, prev, Kind.CHARTER, null, "2026-11-23T09:00:00Z",
                Priority.ROUTINE, Tlp.GREEN, body, null);
        return EnvelopeSigner.sign(draft, key);
    }

    /** A signed envelope from {@code key} at {@code seq} after {@code prev}. */
    public static Envelope envelope(SigningKey key, String channel, long seq, String prev, Tlp tlp, String text) {
        Envelope draft = new Envelope(1, channel, key.name(), seq, prev, Kind.NOTIFY, null, "2026-11-23T10:00:0" + (seq % 10) + "Z",
                Priority.URGENT, tlp, Json.object().put("text", text).put("lang", "en"), null);
        return EnvelopeSigner.sign(draft, key);
    }
}
