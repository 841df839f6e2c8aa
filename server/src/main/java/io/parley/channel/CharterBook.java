package io.parley.channel;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.parley.charter.Charter;
import io.parley.charter.CharterAction;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Rejection;
import io.parley.identity.VerifierKey;
import io.parley.store.ChannelStore;

/**
 * The lifecycle of channels under charters (DESIGN §2, issue "Federation"): a charter envelope proposes terms, every
 * member signs them with a charter envelope naming the charter's hash, and the channel (or an amendment) takes effect
 * only when all members of that charter have signed.
 *
 * <p>Charter envelope bodies are read by {@link CharterAction}; members sign the terms' {@link Charter#hash() hash},
 * so every member signs exactly the same terms.
 *
 * <p>A proposal for an unknown channel is adopted only if this node is a member with its own key, and the proposer's
 * key in the charter is the key we already know for that party: a stranger cannot open a channel with us.
 *
 * <p>Every member key a charter names must be the key pinned here for that party (peering): a proposal or amendment
 * naming any party under another key is refused ({@code key-mismatch}), so a member cannot bring an impostor of a
 * third party into a channel. Terms naming a party not pinned here are kept, but this node neither signs them nor
 * puts them in force until that party is pinned. Signatures are bound to the hash of the terms they sign, so
 * replacing a pending amendment never carries a signature over to the replacement.
 *
 * <p>Channel history goes only to members of the charter in force of an active channel ({@link #servesHistoryTo}):
 * a party that a pending amendment would add is not a member until every member signed it.
 */
public final class CharterBook {
    public static final String PROPOSED = "proposed";
    public static final String ACTIVE = "active";

    private final ChannelStore channels;
    private final String self;
    private final VerifierKey selfKey;
    private final Function<String, Optional<VerifierKey>> knownKey;
    private final Function<String, Optional<io.parley.identity.PartyCard>> knownCard;
    private final Clock clock;

    public CharterBook(ChannelStore channels, String self, VerifierKey selfKey,
                       Function<String, Optional<io.parley.identity.PartyCard>> knownCard, Clock clock) {
        this.channels = channels;
        this.self = self;
        this.selfKey = selfKey;
        this.knownCard = knownCard;
        this.knownKey = origin -> knownCard.apply(origin).map(io.parley.identity.PartyCard::verifierKey);
        this.clock = clock;
    }

    /** This node's origin. */
    public String self() {
        return self;
    }

    /** Why the member keys of some terms cannot be trusted here. */
    public sealed interface KeyProblem {
        String origin();

        String detail();

        /** A party we have not pinned: its key is only the proposer's word. */
        record Unpinned(String origin) implements KeyProblem {
            public String detail() {
                return origin + " is not a known peer here, so the key the charter names for it is unchecked: "
                        + "pin it first with 'parley peer add' (compare its fingerprint out of band)";
            }
        }

        /** A party named under a key other than the one pinned for it: an impostor, or a stale charter. */
        record Mismatch(String origin) implements KeyProblem {
            public String detail() {
                return "the charter names a key for " + origin + " that is not the key pinned for it here";
            }
        }
    }

    /**
     * The first reason the member keys of {@code c} cannot be trusted here, mismatches before unpinned parties. A
     * member's charter key is trusted if it is the key we pinned for it, or one its pinned card was handed over from.
     */
    public Optional<KeyProblem> keyProblem(Charter c) {
        Optional<KeyProblem> unpinned = Optional.empty();
        for (Charter.Member m : c.members()) {
            if (m.origin().equals(self)) {
                if (!m.key().equals(selfKey) && !rotated(m).key().equals(selfKey)) return Optional.of(new KeyProblem.Mismatch(m.origin()));
                continue;
            }
            Optional<io.parley.identity.PartyCard> pinned = knownCard.apply(m.origin());
            if (pinned.isEmpty()) {
                if (unpinned.isEmpty()) unpinned = Optional.of(new KeyProblem.Unpinned(m.origin()));
            } else if (!rotated(m).key().equals(pinned.get().verifierKey())) {
                return Optional.of(new KeyProblem.Mismatch(m.origin()));
            }
        }
        return unpinned;
    }

    private Optional<Rejection> mismatch(Charter c) {
        return keyProblem(c).filter(p -> p instanceof KeyProblem.Mismatch).map(p -> new Rejection.KeyMismatch(p.origin(), p.detail()));
    }

    /**
     * Judges what a charter envelope says, once its sender is known to be a member and its signature verified: a
     * proposal may not replace the terms of a channel we hold (that is what amendments are for), proposals and
     * amendments must name every party under its pinned key, and this node signs only the terms awaiting its
     * signature, with every member pinned.
     */
    public Optional<Rejection> judge(Envelope e, boolean own) {
        CharterAction action;
        try {
            action = CharterAction.of(e);
        } catch (EnvelopeFormatException ex) {
            return Optional.of(new Rejection.Malformed(ex.field(), ex.getMessage()));
        }
        return switch (action) {
            case CharterAction.Propose p -> {
                Optional<Charter> held = channels.charter(e.channel());
                if (held.isPresent() && !held.get().hash().equals(p.charter().hash())) {
                    yield Optional.of(new Rejection.KindNotAccepted("charter", "channel " + e.channel()
                            + " exists here under other terms; terms change only by an amendment every member signs"));
                }
                yield mismatch(p.charter());
            }
            case CharterAction.Amend a -> {
                // Only the members in force change the terms: a party a pending amendment names may sign it, not replace it.
                if (!active(e.channel())) yield Optional.of(new Rejection.KindNotAccepted("charter", "channel " + e.channel() + " is not active; only active channels are amended"));
                if (channels.charter(e.channel()).flatMap(c -> c.member(e.from())).isEmpty()) yield Optional.of(new Rejection.NotMember(e.from(), e.channel()));
                yield mismatch(a.charter());
            }
            case CharterAction.Sign s -> {
                if (!own) yield Optional.empty();
                Optional<Charter> awaiting = awaitingSignature(e.channel());
                if (awaiting.isEmpty() || !awaiting.get().hash().equals(s.charterHash())) {
                    yield Optional.of(new Rejection.KindNotAccepted("charter", "this node signs only the terms awaiting its signature"));
                }
                yield keyProblem(awaiting.get()).map(p -> p instanceof KeyProblem.Mismatch
                        ? new Rejection.KeyMismatch(p.origin(), p.detail()) : new Rejection.KindNotAccepted("charter", p.detail()));
            }
        };
    }

    /**
     * Whether {@code origin} may be served this channel's envelopes and evidence: only a member of the charter in
     * force of an active channel. A proposal's or a pending amendment's parties get what is addressed to them by
     * push, never the history.
     */
    public boolean servesHistoryTo(String channel, String origin) {
        return active(channel) && channels.charter(channel).flatMap(c -> c.member(origin)).isPresent();
    }

    /**
     * Adopts the proposal an envelope for an unknown channel carries, if it may open a channel with us; otherwise
     * says why not.
     */
    public Optional<Rejection> adopt(Envelope e) {
        if (e.kind() != Kind.CHARTER) return Optional.of(new Rejection.UnknownChannel(e.channel()));
        CharterAction action;
        try {
            action = CharterAction.of(e);
        } catch (EnvelopeFormatException ex) {
            return Optional.of(new Rejection.Malformed(ex.field(), ex.getMessage()));
        }
        if (!(action instanceof CharterAction.Propose p)) return Optional.of(new Rejection.UnknownChannel(e.channel()));
        Charter c = p.charter();
        Optional<Charter.Member> me = c.member(self);
        if (me.isEmpty() || !rotated(me.get()).key().equals(selfKey) && !me.get().key().equals(selfKey)) {
            return Optional.of(new Rejection.KindNotAccepted("charter", "the proposal does not list this node with its key"));
        }
        Optional<Charter.Member> proposer = c.member(e.from());
        if (proposer.isEmpty()) return Optional.of(new Rejection.NotMember(e.from(), e.channel()));
        Optional<VerifierKey> known = knownKey.apply(e.from());
        if (known.isEmpty()) return Optional.of(new Rejection.KindNotAccepted("charter", e.from() + " is not a known peer here; peer with it first"));
        if (!known.get().equals(rotated(proposer.get()).key())) {
            return Optional.of(new Rejection.KindNotAccepted("charter", "the charter names a key for " + e.from() + " that is not the key we know"));
        }
        if (!e.signed() || !io.parley.envelope.EnvelopeSigner.verify(e, known.get())) return Optional.of(new Rejection.BadSignature(e.from()));
        Optional<Rejection> mismatch = mismatch(c);
        if (mismatch.isPresent()) return mismatch;
        channels.create(c, PROPOSED, clock.instant());
        return Optional.empty();
    }

    /**
     * The member entry that authenticates {@code from} in this channel: from the charter in force, or for charter
     * envelopes also from a pending amendment (new members sign it before it takes effect).
     */
    public Optional<Charter.Member> member(String channel, String from, Kind kind) {
        Optional<Charter.Member> current = channels.charter(channel).flatMap(c -> c.member(from));
        if (current.isEmpty() && kind == Kind.CHARTER) current = channels.pending(channel).flatMap(c -> c.member(from));
        return current.map(this::rotated);
    }

    /**
     * The member with the key its party rotated to, if its current card was handed over by the key the charter
     * names; otherwise the charter's key. This keeps channels working across a key rotation without trusting any
     * key the charter's key did not sign over.
     */
    private Charter.Member rotated(Charter.Member m) {
        return knownCard.apply(m.origin())
                .filter(card -> !card.verifierKey().equals(m.key()) && card.rotatedFrom(m.key()))
                .map(card -> new Charter.Member(m.origin(), card.verifierKey(), m.baseUrl()))
                .orElse(m);
    }

    /** Who must receive our envelope in this channel: every member of the terms in force (and pending), but us. */
    public java.util.List<String> recipients(String channel, Kind kind) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        channels.charter(channel).ifPresent(c -> c.members().forEach(m -> out.add(m.origin())));
        if (kind == Kind.CHARTER) channels.pending(channel).ifPresent(c -> c.members().forEach(m -> out.add(m.origin())));
        out.remove(self);
        return java.util.List.copyOf(out);
    }

    public boolean active(String channel) {
        return channels.state(channel).map(ACTIVE::equals).orElse(false);
    }

    /** After a charter envelope was stored: note the signature it carries and put a fully signed charter in force. */
    public void record(Envelope e, String envelopeHash) {
        CharterAction action = CharterAction.of(e);
        Charter target = switch (action) {
            case CharterAction.Propose p -> p.charter();
            case CharterAction.Amend a -> {
                if (channels.charter(e.channel()).map(Charter::hash).filter(a.charter().hash()::equals).isEmpty()) {
                    channels.setPending(e.channel(), a.charter());
                }
                yield a.charter();
            }
            case CharterAction.Sign s -> candidate(e.channel(), s.charterHash()).orElse(null);
        };
        String targetHash = switch (action) {
            case CharterAction.Sign s -> s.charterHash();
            default -> target.hash();
        };
        channels.recordSignature(e.channel(), targetHash, e.from(), envelopeHash, clock.instant());
        if (target == null) return; // a signature for terms we have not seen yet; kept until they arrive
        // A late or repeated signature of the terms in force changes nothing (and must not clear a pending amendment).
        if (active(e.channel()) && channels.charter(e.channel()).map(Charter::hash).filter(targetHash::equals).isPresent()) return;
        Set<String> signers = channels.signers(e.channel(), targetHash);
        boolean complete = target.members().stream().allMatch(m -> signers.contains(m.origin()));
        // Terms naming a party we have not pinned never take effect here, whoever signed them.
        if (complete && keyProblem(target).isEmpty()) channels.activate(target);
    }

    /** The charter with {@code hash} among the one in force and the pending one. */
    public Optional<Charter> candidate(String channel, String hash) {
        Optional<Charter> current = channels.charter(channel).filter(c -> c.hash().equals(hash));
        return current.isPresent() ? current : channels.pending(channel).filter(c -> c.hash().equals(hash));
    }

    /** The terms awaiting signatures: a pending amendment, or the proposal of a channel not yet active. */
    public Optional<Charter> awaitingSignature(String channel) {
        Optional<Charter> pending = channels.pending(channel);
        if (pending.isPresent()) return pending;
        return active(channel) ? Optional.empty() : channels.charter(channel);
    }
}
