package io.parley.taxii;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.parley.charter.Charter;
import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.Audience;

/**
 * Who may see what was shared where, from the charters: the one place evidence ingest, access, correlation and the
 * TAXII collections turn a (channel, sender, named recipients) triple into a {@link Audience}.
 */
public final class Audiences {
    private final ChannelDirectory channels;
    private final String self;

    public Audiences(ChannelDirectory channels, String self) {
        this.channels = channels;
        this.self = self;
    }

    /** This node's origin: the audience of its own material. */
    public String self() {
        return self;
    }

    public ChannelDirectory channels() {
        return channels;
    }

    /**
     * The audience of something shared by {@code sender} in {@code channel} (null or "": this node's own material),
     * naming {@code recipients} (null: every member). Named recipients who are not members are dropped: RED never
     * reaches past the charter. An unknown channel has only its sender as audience.
     */
    public Audience of(String channel, String sender, Set<String> recipients) {
        if (channel == null || channel.isEmpty()) return Audience.own(self);
        Optional<Charter> charter = channels.charter(channel);
        Set<String> members = new TreeSet<>();
        charter.ifPresent(c -> c.members().forEach(m -> members.add(m.origin())));
        Set<String> named = null;
        if (recipients != null) {
            named = new TreeSet<>(recipients);
            named.retainAll(members);
        }
        return new Audience(channel, members, sender, named, charter.map(Charter::tlpCeiling).orElse(Tlp.CLEAR));
    }

    /** {@link #of}, remembered in {@code cache} for the length of one request, where many rows share few audiences. */
    Audience of(String channel, String sender, Set<String> recipients, Map<String, Audience> cache) {
        String key = channel + "\u0000" + sender + "\u0000" + recipients;
        return cache.computeIfAbsent(key, k -> of(channel, sender, recipients));
    }
}
