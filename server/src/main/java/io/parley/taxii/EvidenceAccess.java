package io.parley.taxii;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.MarkingPolicy;
import io.parley.json.Json;

/**
 * Evidence going out: what a local user may read of a held bundle, what a peer may fetch, and which objects may not
 * be shared on into a channel. Every such decision goes through {@link MarkingPolicy}, judged in each
 * {@link EvidenceContext} the bundle is held in.
 */
public final class EvidenceAccess {
    /** Problem code of a fetch whose every object is withheld from the requesting peer: final, not worth retrying. */
    public static final String WITHHELD = "withheld";

    private final EvidenceStore store;
    private final TaxiiStore taxii;
    private final Audiences audiences;

    public EvidenceAccess(EvidenceStore store, TaxiiStore taxii, Audiences audiences) {
        this.store = store;
        this.taxii = taxii;
        this.audiences = audiences;
    }

    /** The requester for a local account: role {@code admin}, plus its explicit RED grants. */
    public LocalUser requester(String username, String role) {
        return new LocalUser(username, audiences.self(), "admin".equals(role), store.redScopes(username));
    }

    /** The bundle held for {@code sha256}: the bundle itself, or what was fetched for an envelope that named it. */
    public Optional<EvidenceStore.Bundle> held(String sha256) {
        Optional<EvidenceStore.Bundle> b = store.bundle(sha256);
        if (b.isPresent()) return b;
        for (EvidenceStore.Link l : store.linksNaming(sha256)) {
            if (l.storedSha256() != null) {
                b = store.bundle(l.storedSha256());
                if (b.isPresent()) return b;
            }
        }
        return Optional.empty();
    }

    /** Every context {@code b} is held in. */
    private List<EvidenceContext> contexts(EvidenceStore.Bundle b) {
        List<EvidenceContext> out = new ArrayList<>();
        if (b.source().equals("upload") || b.source().equals("misp")) out.add(new EvidenceContext(Audience.own(audiences.self()), b.unmarked(), "", b.caseId()));
        Map<String, Audience> cache = new HashMap<>();
        for (EvidenceStore.Link l : store.linksHolding(b.sha256())) {
            out.add(new EvidenceContext(audiences.of(l.channel(), l.sender(), l.recipients(), cache), l.tlp(), l.envelopeHash(), l.caseId()));
        }
        return out;
    }

    /** What {@code user} may see of the bundle held for {@code sha256}: empty when nothing (or no such bundle). */
    public Optional<ObjectNode> visibleBundle(LocalUser user, String sha256) {
        return visibleBundle(user, sha256, c -> true);
    }

    /**
     * What {@code user} may see of the bundle held for {@code sha256} as it was shared in {@code channel}: judged in
     * that channel's contexts only, so a view of one channel (its MISP feed) shows nothing the reader may see only
     * because the same bundle also came in elsewhere.
     */
    public Optional<ObjectNode> visibleInChannel(LocalUser user, String sha256, String channel) {
        return visibleBundle(user, sha256, c -> channel.equals(c.audience().channel()));
    }

    private Optional<ObjectNode> visibleBundle(LocalUser user, String sha256, java.util.function.Predicate<EvidenceContext> judgedIn) {
        Optional<EvidenceStore.Bundle> b = held(sha256);
        if (b.isEmpty()) return Optional.empty();
        JsonNode bundle = Json.parse(b.get().json());
        List<EvidenceContext> contexts = contexts(b.get()).stream().filter(judgedIn).toList();
        if (contexts.isEmpty()) return Optional.empty();
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        ObjectNode out = MarkingPolicy.redact(bundle, o -> contexts.stream()
                .anyMatch(c -> MarkingPolicy.mayRead(user, c.audience(), c.tlpOf(o, local))));
        return out.get("objects").isEmpty() ? Optional.empty() : Optional.of(out);
    }

    /**
     * The bundle this node named as {@code sha256} in its envelope {@code envelopeHash}, for peer {@code peer}: the
     * whole bundle, exactly as named, when the peer may read every object of it in that channel (TLP, named
     * recipients, the channel's ceiling) and this node may share every object on into it; otherwise nothing, since a
     * recipient treats any bytes that do not hash to the signed reference as evidence against the sender.
     *
     * @throws EvidenceException 404 when this node sent no such envelope naming that bundle, or ({@link #WITHHELD})
     *     when the peer may not have all of it; 403 when the peer is not a member of the envelope's channel
     */
    public ObjectNode forPeer(String peer, String sha256, String envelopeHash) {
        String self = audiences.self();
        Optional<EvidenceStore.Link> link = store.link(envelopeHash, sha256)
                .filter(l -> l.sender().equals(self) && EvidenceStore.STORED.equals(l.state()) && !l.inline());
        if (link.isEmpty()) throw new EvidenceException(404, "unknown-evidence", "this node sent no envelope " + envelopeHash + " naming evidence " + sha256);
        Audience audience = audiences.of(link.get().channel(), self, link.get().recipients());
        if (!audience.members().contains(peer)) {
            throw new EvidenceException(403, "not-member", peer + " is not a member of channel " + link.get().channel());
        }
        EvidenceStore.Bundle b = store.bundle(link.get().storedSha256())
                .orElseThrow(() -> new EvidenceException(404, "unknown-evidence", "evidence " + sha256 + " is no longer held here"));
        JsonNode bundle = Json.parse(b.json());
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        Map<String, String> blocked = blockedFor(audience, ids(bundle));
        MarkingPolicy.Peer requester = new MarkingPolicy.Peer(peer);
        // Whole or nothing: a recipient must be able to check what it gets against the hash this node signed, so a
        // peer that may not read every object gets none (the outgoing checks make every named recipient able to).
        for (JsonNode o : bundle.path("objects")) {
            if (blocked.containsKey(o.path("id").asText()) || !MarkingPolicy.mayRead(requester, audience, MarkingPolicy.tlpInMessage(o, local, link.get().tlp()))) {
                throw new EvidenceException(404, WITHHELD, "evidence " + sha256 + " is not for " + peer + " in full, so none of it is served");
            }
        }
        return (ObjectNode) bundle;
    }

    /** The ids of a bundle's objects. */
    static List<String> ids(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        bundle.path("objects").forEach(o -> out.add(o.path("id").asText()));
        return out;
    }

    /**
     * Objects among {@code objectIds} that may not be put into {@code target}: this node holds them from another
     * party under a marking that forbids sharing them on there. Value: why.
     */
    public Map<String, String> blockedFor(Audience target, Collection<String> objectIds) {
        Map<String, String> out = new TreeMap<>();
        Map<String, Audience> cache = new HashMap<>();
        String self = audiences.self();
        for (TaxiiStore.Holding h : taxii.holdings(objectIds)) {
            if (h.sender().equals(self)) continue;
            Audience from = audiences.of(h.channel(), h.sender(), EvidenceStore.decodeSet(h.recipients()), cache);
            if (!MarkingPolicy.mayReshare(from, target, h.tlp(), self)) {
                out.putIfAbsent(h.objectId(), "received from " + h.sender() + (h.channel() == null ? "" : " in channel " + h.channel())
                        + " as TLP:" + h.tlp().wire().toUpperCase(Locale.ROOT) + ", which may not be shared on "
                        + (target.channel() == null ? "to this node's own collection" : "in channel " + target.channel()));
            }
        }
        return out;
    }
}
