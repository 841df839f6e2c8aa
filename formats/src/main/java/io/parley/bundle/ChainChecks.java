package io.parley.bundle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Tlp;
import io.parley.envelope.WithheldNotice;
import io.parley.identity.VerifierKey;

/**
 * The case's envelopes and their senders' hash chains. A TLP:RED envelope withheld from the exporter is carried as its
 * sender's signed notice, which stands in the chain where the envelope would be; the chains must then run without a
 * gap over exactly the segment the bundle states for each sender.
 */
final class ChainChecks {
    /** The envelopes as carried (verified or not: each failure is already reported), and the hashes verified notices state. */
    record Chains(List<Envelope> envelopes, Set<String> noticeHashes) {}

    /** One position of a sender's chain: an envelope, or a withheld one known by its sender's notice. */
    private record ChainLink(long seq, String prev, String hash) {}

    private final Checks checks;
    private final String channel;
    private final Charter charter;
    private final Map<String, VerifierKey> keys;

    ChainChecks(Checks checks, String channel, Charter charter, Map<String, VerifierKey> keys) {
        this.checks = checks;
        this.channel = channel;
        this.charter = charter;
        this.keys = keys;
    }

    Chains check(JsonNode bundle) {
        List<Envelope> envelopes = envelopes(bundle.path("envelopes"));
        List<WithheldNotice> notices = withheldNotices(bundle.path("withheld"), bundle.has("withheld"));
        Map<String, List<ChainLink>> links = new TreeMap<>();
        for (Envelope e : envelopes) links.computeIfAbsent(e.from(), x -> new ArrayList<>()).add(new ChainLink(e.seq(), e.prev(), e.hash()));
        for (WithheldNotice n : notices) links.computeIfAbsent(n.from(), x -> new ArrayList<>()).add(new ChainLink(n.seq(), n.prev(), n.hash()));
        Map<String, long[]> segments = segments(bundle.path("segments"));
        links.forEach((sender, chain) -> hashChain(sender, chain, segments.get(sender)));
        Set<String> senders = new LinkedHashSet<>();
        envelopes.forEach(e -> senders.add(e.from()));
        checks.add("segments", segments.keySet().equals(senders), "one chain segment per sender in the case");
        Set<String> noticeHashes = new LinkedHashSet<>();
        notices.forEach(n -> noticeHashes.add(n.hash()));
        return new Chains(envelopes, noticeHashes);
    }

    /** Each envelope verifies under its sender's member key, in this channel, within the TLP ceiling; one order. */
    private List<Envelope> envelopes(JsonNode array) {
        List<Envelope> envelopes = new ArrayList<>();
        int verified = 0;
        for (JsonNode j : array) {
            Envelope e = Envelope.fromJson(j);
            envelopes.add(e);
            VerifierKey k = keys.get(e.from());
            boolean ok = k != null && e.channel().equals(channel) && EnvelopeSigner.verify(e, k) && !e.tlp().exceeds(charter.tlpCeiling());
            if (ok) verified++;
            else checks.add("envelope " + e.from() + "#" + e.seq(), false, "signature, membership, channel or TLP does not hold");
        }
        int total = envelopes.size();
        checks.add("envelope signatures", verified == total && total > 0, verified + " of " + total + " envelopes verify under their senders' charter keys");
        boolean ordered = Ordering.strictlyIncreasing(envelopes, e -> Ordering.bySenderAndSeq(e.from(), e.seq()));
        checks.add("envelope order", ordered, ordered ? "by sender and seq, no duplicates" : "envelopes are out of order or repeated");
        return envelopes;
    }

    /** The notices that verify under their senders' member keys (a RED envelope must be allowed in the channel). */
    private List<WithheldNotice> withheldNotices(JsonNode array, boolean present) {
        List<WithheldNotice> read = new ArrayList<>();
        List<WithheldNotice> verified = new ArrayList<>();
        for (JsonNode j : array) {
            WithheldNotice n;
            try {
                n = WithheldNotice.fromJson(j);
            } catch (EnvelopeFormatException ex) {
                checks.add("withheld notice", false, "malformed: " + ex.getMessage());
                continue;
            }
            read.add(n);
            VerifierKey k = keys.get(n.from());
            boolean ok = k != null && n.channel().equals(channel) && n.verify(k) && !Tlp.RED.exceeds(charter.tlpCeiling());
            checks.add("withheld notice " + n.from() + "#" + n.seq(), ok, ok ? "TLP:RED envelope " + Checks.abbreviate(n.hash()) + " withheld from the exporter, signed by its sender"
                    : "signature, membership, channel or TLP does not hold");
            if (ok) verified.add(n);
        }
        if (present) checks.add("withheld notice order", Ordering.strictlyIncreasing(read, n -> Ordering.bySenderAndSeq(n.from(), n.seq())), "by sender and seq, no duplicates");
        return verified;
    }

    /** The stated segment {first, last} of each sender's chain. */
    private static Map<String, long[]> segments(JsonNode array) {
        Map<String, long[]> segments = new HashMap<>();
        for (JsonNode s : array) segments.put(s.path("from").asText(), new long[] {s.path("first").asLong(), s.path("last").asLong()});
        return segments;
    }

    /** The sender's links run from the segment's first seq to its last, each naming the previous one's hash. */
    private void hashChain(String sender, List<ChainLink> links, long[] segment) {
        List<ChainLink> chain = new ArrayList<>(links);
        chain.sort(Comparator.comparingLong(ChainLink::seq));
        boolean ok = segment != null && chain.get(0).seq() == segment[0] && chain.get(chain.size() - 1).seq() == segment[1];
        String why = ok ? "" : "does not cover the stated segment";
        for (int i = 1; ok && i < chain.size(); i++) {
            if (chain.get(i).seq() != chain.get(i - 1).seq() + 1) {
                ok = false;
                why = "gap after seq " + chain.get(i - 1).seq();
            } else if (!chain.get(i - 1).hash().equals(chain.get(i).prev())) {
                ok = false;
                why = "seq " + chain.get(i).seq() + " does not link to seq " + chain.get(i - 1).seq();
            }
        }
        checks.add("hash chain of " + sender, ok, ok ? "seq " + segment[0] + ".." + segment[1] + " linked by prev hashes" : why);
    }
}
