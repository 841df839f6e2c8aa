package io.parley.channel;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Rejection;
import io.parley.identity.Sha256;
import io.parley.identity.VerifierKey;
import io.parley.json.Jcs;
import io.parley.store.ChannelStore;

/**
 * The lifecycle of channels under charters (DESIGN §2, issue "Federation"): a charter envelope proposes terms, every
 * member signs them with a charter envelope naming the charter's hash, and the channel (or an amendment) takes effect
 * only when all members of that charter have signed.
 *
 * <p>Charter envelope bodies: {@code {"action":"propose","charter":{...}}} (the proposer's signature included),
 * {@code {"action":"sign","charter_hash":"<hex>"}} and {@code {"action":"amend","charter":{...}}}. The hash is the
 * SHA-256 of the charter's RFC 8785 form, so every member signs exactly the same terms.
 *
 * <p>A proposal for an unknown channel is adopted only if this node is a member with its own key, and the proposer's
 * key in the charter is the key we already know for that party: a stranger cannot open a channel with us.
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

    public static String hash(Charter c) {
        return Sha256.hex(Jcs.canonicalize(c.toJson()));
    }

    /** What a charter envelope says. */
    public sealed interface Action {
        record Propose(Charter charter) implements Action {}

        record Amend(Charter charter) implements Action {}

        record Sign(String charterHash) implements Action {}
    }

    /** Parses a charter envelope's body; throws {@link EnvelopeFormatException} naming the member at fault. */
    public static Action action(Envelope e) {
        JsonNode body = e.body();
        String action = body.path("action").asText("");
        return switch (action) {
            case "propose", "amend" -> {
                Charter c;
                try {
                    c = Charter.fromJson(body.get("charter"));
                } catch (EnvelopeFormatException ex) {
                    throw new EnvelopeFormatException("/body/charter" + ex.field(), ex.getMessage());
                }
                if (!c.channel().equals(e.channel())) throw new EnvelopeFormatException("/body/charter/channel", "the charter is for channel " + c.channel() + ", not " + e.channel());
                yield action.equals("propose") ? new Action.Propose(c) : new Action.Amend(c);
            }
            case "sign" -> {
                String h = body.path("charter_hash").asText("");
                if (!h.matches("[0-9a-f]{64}")) throw new EnvelopeFormatException("/body/charter_hash", "charter_hash must be a lowercase hex SHA-256");
                yield new Action.Sign(h);
            }
            default -> throw new EnvelopeFormatException("/body/action", "a charter envelope's action must be propose, sign or amend");
        };
    }

    /**
     * Adopts the proposal an envelope for an unknown channel carries, if it may open a channel with us; otherwise
     * says why not.
     */
    public Optional<Rejection> adopt(Envelope e) {
        if (e.kind() != Kind.CHARTER) return Optional.of(new Rejection.UnknownChannel(e.channel()));
        Action action;
        try {
            action = action(e);
        } catch (EnvelopeFormatException ex) {
            return Optional.of(new Rejection.Malformed(ex.field(), ex.getMessage()));
        }
        if (!(action instanceof Action.Propose p)) return Optional.of(new Rejection.UnknownChannel(e.channel()));
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
        Action action = action(e);
        Charter target = switch (action) {
            case Action.Propose p -> p.charter();
            case Action.Amend a -> {
                if (channels.charter(e.channel()).map(CharterBook::hash).filter(hash(a.charter())::equals).isEmpty()) {
                    channels.setPending(e.channel(), a.charter());
                }
                yield a.charter();
            }
            case Action.Sign s -> candidate(e.channel(), s.charterHash()).orElse(null);
        };
        String targetHash = switch (action) {
            case Action.Sign s -> s.charterHash();
            default -> hash(target);
        };
        channels.recordSignature(e.channel(), targetHash, e.from(), envelopeHash, clock.instant());
        if (target == null) return; // a signature for terms we have not seen yet; kept until they arrive
        Set<String> signers = channels.signers(e.channel(), targetHash);
        boolean complete = target.members().stream().allMatch(m -> signers.contains(m.origin()));
        if (complete) channels.activate(target);
    }

    /** The charter with {@code hash} among the one in force and the pending one. */
    public Optional<Charter> candidate(String channel, String hash) {
        Optional<Charter> current = channels.charter(channel).filter(c -> hash(c).equals(hash));
        return current.isPresent() ? current : channels.pending(channel).filter(c -> hash(c).equals(hash));
    }

    /** The terms awaiting signatures: a pending amendment, or the proposal of a channel not yet active. */
    public Optional<Charter> awaitingSignature(String channel) {
        Optional<Charter> pending = channels.pending(channel);
        if (pending.isPresent()) return pending;
        return active(channel) ? Optional.empty() : channels.charter(channel);
    }
}
