package io.parley.channel;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Rejection;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.evidence.InlineMarkings;
import io.parley.store.ChainHead;
import io.parley.store.ChannelStore;
import io.parley.store.EnvelopeStore;
import io.parley.store.PartyStore;
import io.parley.store.StoredEnvelope;

/**
 * The single gate through which envelopes enter the store, whether this node wrote them or a peer sent them
 * (DESIGN §2 acceptance rules).
 *
 * <p>Checks run in an order that keeps forged input harmless: membership and signature first, so an unsigned or
 * forged envelope can never be recorded as the sender's equivocation; then the TLP ceiling (of the envelope and of every
 * object of an inline STIX bundle, which may not exceed the envelope's label either); then the chain. Races
 * between writers of the same chain are settled by the store's unique key: the loser re-reads and is judged again.
 */
public final class EnvelopeAcceptor {
    private static final int MAX_RACE_RETRIES = 5;
    /**
     * Envelopes are messages, not files: the cap bounds what any peer can make us verify, store and relay, and keeps
     * inline evidence small (large bundles travel by hash). The log no longer constrains it: its entries are 32-byte
     * commitments whatever the envelope's size.
     */
    public static final int MAX_ENVELOPE_BYTES = 0xFFFF;

    private final ChannelStore channels;
    private final CharterBook charters;
    private final EnvelopeStore envelopes;
    private final PartyStore parties;
    private final Clock clock;
    private final Consumer<StoredEnvelope> onAccepted;
    private final Refusals refusals;

    public EnvelopeAcceptor(ChannelStore channels, CharterBook charters, EnvelopeStore envelopes, PartyStore parties, Clock clock,
                            Consumer<StoredEnvelope> onAccepted, Refusals refusals) {
        this.channels = channels;
        this.charters = charters;
        this.envelopes = envelopes;
        this.parties = parties;
        this.clock = clock;
        this.onAccepted = onAccepted;
        this.refusals = refusals;
    }

    /** A verdict, and whether the envelope's signature verified under its sender's member key on the way to it. */
    private record Judged(Verdict verdict, boolean signatureVerified) {}

    /**
     * Judges and, if acceptable, durably stores {@code e}; refusals are recorded with {@code remote}: in full only
     * when the signature verified under the sender's member key, since anything else may be anyone's.
     */
    public Verdict accept(Envelope e, String remote) {
        Judged j = judge(e, false);
        if (j.verdict() instanceof Verdict.Rejected r) {
            if (j.signatureVerified()) refusals.verified(e, r.reason(), remote);
            else refusals.unverified(e.channel(), e.from(), e.seq(), r.reason(), e.canonicalBytes(), remote);
        }
        return j.verdict();
    }

    /**
     * Judges an envelope this node just signed. A different envelope already at its seq means another instance
     * sharing our database won the race for that seq: reported as a {@link Rejection.ChainBreak} for the caller to
     * rebuild on the new head, not recorded as our own equivocation, since this one never left the node.
     */
    public Verdict acceptOwn(Envelope e) {
        return judge(e, true).verdict();
    }

    private Judged judge(Envelope e, boolean own) {
        Optional<Charter> charter = channels.charter(e.channel());
        if (charter.isEmpty()) {
            Optional<Rejection> refused = own ? Optional.of(new Rejection.UnknownChannel(e.channel())) : charters.adopt(e);
            if (refused.isPresent()) return new Judged(reject(refused.get()), false);
            charter = channels.charter(e.channel());
        }
        Optional<Charter.Member> member = charters.member(e.channel(), e.from(), e.kind());
        if (member.isEmpty()) return new Judged(reject(new Rejection.NotMember(e.from(), e.channel())), false);
        if (!e.signed() || !EnvelopeSigner.verify(e, member.get().key())) return new Judged(reject(new Rejection.BadSignature(e.from())), false);
        return new Judged(judgeSigned(e, own, charter.get(), member.get().key()), true);
    }

    /** The checks after the sender's signature verified: everything refused from here on is the sender's own word. */
    private Verdict judgeSigned(Envelope e, boolean own, Charter charter, io.parley.identity.VerifierKey senderKey) {
        if (e.tlp().exceeds(charter.tlpCeiling())) return reject(new Rejection.TlpAboveCeiling(e.tlp(), charter.tlpCeiling()));
        if (e.kind() == Kind.CHARTER) {
            Optional<Rejection> refused = alreadyHeld(e) ? Optional.empty() : charters.judge(e, own);
            if (refused.isPresent()) return reject(refused.get());
        } else if (!charters.active(e.channel())) {
            return reject(new Rejection.KindNotAccepted(e.kind().wire(), "channel " + e.channel() + " is not active yet: its charter awaits members' signatures"));
        }
        // An opening names a case that is its sender's own: its id must commit to the sender, or any member could
        // open another member's case again, dated earlier, and take it over. Our own openings pass the same check.
        if (CaseIds.opens(e.kind()) && e.caseId() != null && !CaseIds.boundTo(e.caseId(), e.from())) {
            return reject(new Rejection.CaseNotYours(e.caseId(), e.from()));
        }
        if (e.canonicalBytes().length > MAX_ENVELOPE_BYTES) {
            return reject(new Rejection.Malformed("", "the envelope is " + e.canonicalBytes().length + " bytes in canonical form; the limit is "
                    + MAX_ENVELOPE_BYTES + ": attach large evidence by hash"));
        }
        Optional<Rejection> overMarked = inlineMarkings(e, charter.tlpCeiling());
        if (overMarked.isPresent()) return reject(overMarked.get());
        String hash = e.hash();
        for (int attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
            Optional<StoredEnvelope> sameSeq = envelopes.at(e.channel(), e.from(), e.seq());
            if (sameSeq.isPresent()) {
                StoredEnvelope kept = sameSeq.get();
                if (kept.hash().equals(hash)) return new Verdict.Duplicate(e, hash);
                // Equivocation means two different signed statements: the same content under another signature
                // (which only the signer can make; encodings are canonical and Bouncy Castle refuses S >= L) is
                // the envelope we hold, and never evidence against its sender.
                if (java.util.Arrays.equals(kept.envelope().signingBytes(), e.signingBytes())) return new Verdict.Duplicate(kept.envelope(), kept.hash());
                if (!EnvelopeSigner.verify(kept.envelope(), senderKey)) {
                    return reject(new Rejection.ChainBreak(e.from(), e.seq(), kept.envelope().prev(), e.prev()));
                }
                if (own) return reject(new Rejection.ChainBreak(e.from(), e.seq(), sameSeq.get().envelope().prev(), e.prev()));
                envelopes.recordEquivocation(e, hash, sameSeq.get().hash(), clock.instant());
                parties.flag(e.from(), "equivocation in channel " + e.channel() + " at seq " + e.seq(), clock.instant());
                return reject(new Rejection.Equivocation(e.from(), e.seq(), sameSeq.get().hash(), hash));
            }
            Optional<ChainHead> head = envelopes.head(e.channel(), e.from());
            long expected = head.map(h -> h.seq() + 1).orElse(1L);
            // Another writer stored this seq between our two reads: judge again against what it stored.
            if (e.seq() < expected) continue;
            if (e.seq() != expected) return reject(new Rejection.ChainGap(e.from(), expected, e.seq()));
            String expectedPrev = head.map(ChainHead::hash).orElse(null);
            if (!java.util.Objects.equals(expectedPrev, e.prev())) {
                return reject(new Rejection.ChainBreak(e.from(), e.seq(), expectedPrev, e.prev()));
            }
            java.util.List<String> recipients = own ? charters.recipients(e.channel(), e.kind()) : java.util.List.of();
            if (envelopes.insert(e, hash, clock.instant(), recipients)) {
                if (e.kind() == Kind.CHARTER) charters.record(e, hash);
                StoredEnvelope stored = envelopes.byHash(hash).orElseThrow();
                onAccepted.accept(stored);
                return new Verdict.Accepted(e, hash);
            }
            // Lost a race with another writer of this chain (or the same envelope arrived twice at once): judge again.
        }
        throw new IllegalStateException("could not settle a write race for " + e.channel() + "/" + e.from() + "/" + e.seq());
    }

    /** A charter envelope we stored before is judged as a duplicate, whatever the terms in force are now. */
    private boolean alreadyHeld(Envelope e) {
        return envelopes.at(e.channel(), e.from(), e.seq()).map(s -> s.hash().equals(e.hash())).orElse(false);
    }

    /**
     * An inline STIX bundle reaches everyone who may read its envelope and is indexed (TAXII, correlation) under the
     * envelope's channel, so none of its objects may be marked above the envelope's label, let alone the ceiling.
     */
    private static Optional<Rejection> inlineMarkings(Envelope e, Tlp ceiling) {
        if (e.kind() == Kind.CHARTER || e.body() == null) return Optional.empty();
        Optional<InlineMarkings.Strictest> top = InlineMarkings.strictest(e.body().get("stix"), e.tlp());
        if (top.isEmpty()) return Optional.empty();
        if (top.get().tlp().exceeds(ceiling)) return Optional.of(new Rejection.InlineAboveCeiling(top.get().pointer(), top.get().tlp(), ceiling));
        if (top.get().tlp().exceeds(e.tlp())) return Optional.of(new Rejection.InlineAboveLabel(top.get().pointer(), top.get().tlp(), e.tlp()));
        return Optional.empty();
    }

    private static Verdict reject(Rejection reason) {
        return new Verdict.Rejected(reason);
    }
}
