package io.parley.federation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.identity.PartyCard;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;
import io.parley.store.StoredEnvelope;

/**
 * Key rotation in band. A node whose card hands its key over from a previous one ({@link PartyCard#rotatedFrom})
 * announces it in every channel it is a member of, as the first envelope its new key signs there: a case-less
 * {@code update} whose body is {@code {"card": <the new signed card>}}. A peer follows the rotation when, and only
 * when, the card is its sender's ({@code card.origin} is the envelope's {@code from}), is self-signed by the new key,
 * carries a hand-over signature by the key the peer knows for that party, and the envelope itself verifies under the
 * new key. Then the peer records the card (as {@code peer refresh} would: stored, committed to its log), writes an
 * audit entry, and accepts the envelope under the new key; nobody runs {@code peer refresh}.
 *
 * <p>An envelope from a member that does not verify under the key we know may be signed by a key we have not learnt
 * yet: it is held (at most {@value #MAX_HELD_PER_PEER} per party, in memory; beyond that it is only refused) and the
 * party's card is fetched from its published address with the same hand-over check. When a rotation is followed, the
 * held envelopes of that party are judged again in chain order. The sender's delivery retries such an envelope anyway
 * ({@code bad-signature} is retryable to a sender: its own signature is good, so the peer lacks its key), so holding
 * only makes the catch-up prompt; a forger can fill a party's few places, never more, and gains nothing by it.
 */
public final class KeyHandOver {
    private static final Logger LOG = LoggerFactory.getLogger(KeyHandOver.class);
    public static final int MAX_HELD_PER_PEER = 16;
    /** How often a hold may make us fetch the same party's card (real time: it only limits our own requests). */
    private static final long FETCH_EVERY_NANOS = 30_000_000_000L;

    private final Node node;
    private final PeerDirectory peers;
    /** Asks for a catch-up of (channel, sender) when a released envelope finds a gap before it. */
    private final java.util.function.BiConsumer<String, String> gapSeen;
    /** Held envelopes by sender; guarded by {@code this}. */
    private final Map<String, List<Envelope>> held = new HashMap<>();
    /** When we last fetched a party's card because of a hold ({@link System#nanoTime}); guarded by {@code this}. */
    private final Map<String, Long> fetched = new HashMap<>();

    KeyHandOver(Node node, PeerDirectory peers, java.util.function.BiConsumer<String, String> gapSeen) {
        this.node = node;
        this.peers = peers;
        this.gapSeen = gapSeen;
    }

    /** True if {@code e} carries a card in its body: it may hand its sender's key over ({@link #follow}). */
    public static boolean carriesCard(Envelope e) {
        return e.kind() == Kind.UPDATE && e.caseId() == null && e.body().path("card").isObject();
    }

    /**
     * Judges {@code envelopes} in order with {@code judge}, in runs that each begin at an envelope carrying a card:
     * a hand-over changes the key the envelopes after it verify under, not the ones before it, so the envelopes before
     * it are judged first, then it is followed, then it is judged with the ones after it. Stops after the first run
     * with a verdict {@code stop} holds for. The verdicts of what was judged, in order (fewer than the envelopes only
     * after a stop). The one place the inbox and catch-up take this rule from.
     */
    public List<Verdict> judgeInRuns(List<Envelope> envelopes, String remote,
                                     java.util.function.Function<List<Envelope>, List<Verdict>> judge,
                                     java.util.function.Predicate<Verdict> stop) {
        List<Verdict> verdicts = new ArrayList<>(envelopes.size());
        int i = 0;
        while (i < envelopes.size()) {
            int end = i + 1;
            while (end < envelopes.size() && !carriesCard(envelopes.get(end))) end++;
            follow(envelopes.get(i), remote);
            List<Verdict> run = judge.apply(List.copyOf(envelopes.subList(i, end)));
            verdicts.addAll(run);
            if (run.stream().anyMatch(stop)) break;
            i = end;
        }
        return verdicts;
    }

    /**
     * Follows the rotation {@code e} announces, if it is a valid hand-over from the key we know for its sender (see
     * the class comment); true if we did. Anything else changes nothing and is judged like any envelope.
     */
    public boolean follow(Envelope e, String remote) {
        if (!carriesCard(e) || e.from().equals(node.origin())) return false;
        Optional<PartyCard> known = node.knownCard(e.from());
        if (known.isEmpty() || node.charters().member(e.channel(), e.from(), e.kind()).isEmpty()) return false;
        PartyCard card;
        try {
            card = PartyCard.fromJson(e.body().get("card"));
        } catch (RuntimeException ex) {
            return false;
        }
        if (!card.origin().equals(e.from()) || card.verifierKey().equals(known.get().verifierKey())) return false;
        if (!card.verifies() || !card.rotatedFrom(known.get().verifierKey()) || !EnvelopeSigner.verify(e, card.verifierKey())) {
            LOG.warn("{} (from {}) announced a key for {} without a valid hand-over from the key we know; ignored", e.hash(), remote, e.from());
            return false;
        }
        return adopt(known.get(), card, "in band, envelope " + e.hash(), remote);
    }

    /**
     * Holds {@code e}, refused for a signature that does not verify under the key we know for its sender, if the
     * sender is a member of its channel with a known card and has room; true if held. Asks for the sender's card.
     */
    public boolean hold(Envelope e) {
        if (e.from().equals(node.origin()) || node.knownCard(e.from()).isEmpty() || node.charters().member(e.channel(), e.from(), e.kind()).isEmpty()) {
            return false;
        }
        boolean fetch;
        synchronized (this) {
            List<Envelope> mine = held.computeIfAbsent(e.from(), k -> new ArrayList<>());
            if (mine.stream().anyMatch(h -> h.hash().equals(e.hash()))) return true;
            if (mine.size() >= MAX_HELD_PER_PEER) return false;
            mine.add(e);
            long now = System.nanoTime();
            Long last = fetched.get(e.from());
            fetch = last == null || now - last > FETCH_EVERY_NANOS;
            if (fetch) fetched.put(e.from(), now);
        }
        if (fetch) Thread.ofVirtual().name("card-fetch-" + e.from()).start(() -> fetchCard(e.from()));
        return true;
    }

    /** How many envelopes of {@code origin} are held. */
    public synchronized int held(String origin) {
        return held.getOrDefault(origin, List.of()).size();
    }

    /** Re-reads {@code origin}'s card from its published address; a valid hand-over is followed like one in band. */
    private void fetchCard(String origin) {
        Optional<PartyCard> before = node.knownCard(origin);
        try {
            PartyCard card = peers.refresh(origin);
            if (before.isPresent() && !card.verifierKey().equals(before.get().verifierKey())) {
                audit(before.get(), card, "fetched from " + card.baseUrl(), "");
                release(origin);
            }
        } catch (PeerDirectory.PeerRefused ex) {
            LOG.info("could not learn a new key of {} while holding its envelopes: {}", origin, ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean adopt(PartyCard before, PartyCard card, String how, String remote) {
        try {
            peers.accept(card, null, card.baseUrl());
        } catch (PeerDirectory.PeerRefused ex) {
            return false; // cannot happen for a hand-over from the known key; PeerDirectory is the one judge of that
        }
        audit(before, card, how, remote);
        return true;
    }

    private void audit(PartyCard before, PartyCard card, String how, String remote) {
        LOG.info("{} rotated its key from {} to {} ({})", card.origin(), before.fingerprint(), card.fingerprint(), how);
        node.audit().record(AuditEvent.done("federation", AuditAction.PEER_KEY_ROTATED, card.origin(), remote,
                "key " + before.fingerprint() + " handed over to " + card.fingerprint() + ", " + how));
    }

    /** Judges the held envelopes of {@code origin} again, in chain order; what is still refused is dropped. */
    public void release(String origin) {
        List<Envelope> mine;
        synchronized (this) {
            mine = held.remove(origin);
        }
        if (mine == null) return;
        mine.sort(Comparator.comparing(Envelope::channel).thenComparingLong(Envelope::seq));
        for (Envelope e : mine) {
            Verdict v = node.acceptor().accept(e, "held");
            LOG.info("held envelope {} of {} judged again: {}", e.hash(), origin, v.getClass().getSimpleName());
            if (v instanceof Verdict.Rejected r && r.reason() instanceof io.parley.envelope.Rejection.ChainGap) gapSeen.accept(e.channel(), e.from());
        }
    }

    /**
     * After this node's key was rotated: in every channel whose terms we are a member of, announce the new card
     * unless our chain there already carries it. Run once the node is up.
     */
    public void announce() {
        PartyCard card = node.card();
        if (card.previousKey() == null) return;
        for (io.parley.charter.Charter c : node.channels().all()) {
            String channel = c.channel();
            if (!node.charters().active(channel) || c.member(node.origin()).isEmpty()) continue;
            if (announced(channel, card)) continue;
            ObjectNode body = Json.object();
            body.set("card", card.toJson());
            body.put("text", "key rotated: " + card.fingerprint() + " replaces the previous key, handed over by its signature");
            Verdict v = node.composer().compose(new Composer.Draft(channel, Kind.UPDATE, null, Priority.ROUTINE, Tlp.CLEAR, body));
            if (v instanceof Verdict.Rejected r) LOG.warn("could not announce our new key in {}: {}", channel, r.reason().detail());
        }
    }

    private boolean announced(String channel, PartyCard card) {
        long after = 0;
        while (true) {
            List<StoredEnvelope> page = node.envelopes().chain(channel, node.origin(), after, 500);
            for (StoredEnvelope s : page) {
                JsonNode c = s.envelope().body().path("card");
                if (carriesCard(s.envelope()) && card.verifierKey().encoded().equals(c.path("verifier_key").asText())) return true;
            }
            if (page.size() < 500) return false;
            after = page.get(page.size() - 1).envelope().seq();
        }
    }
}
