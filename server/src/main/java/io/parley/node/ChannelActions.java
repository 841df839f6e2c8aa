package io.parley.node;

import java.util.List;
import java.util.Optional;

import io.parley.channel.CharterBook;
import io.parley.charter.Charter;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.identity.PartyCard;
import io.parley.json.Json;
import io.parley.norms.CommitmentCatalogue;

/**
 * What this node's operator does with channels: propose terms, sign terms others proposed, propose amendments. Each
 * is a signed charter envelope that goes to every member through the outbox.
 */
public final class ChannelActions {
    private final Node node;

    ChannelActions(Node node) {
        this.node = node;
    }

    /** Why an action cannot be taken: a stable problem code and a message for the operator. */
    public static final class Refused extends Refusal {
        public Refused(int status, String code, String message) {
            super(status, code, message);
        }

        Refused(int status, String code, String field, String message) {
            super(status, code, field, message);
        }
    }

    /** Proposes a new channel: stores the terms as proposed and sends our signed proposal to the other members. */
    public Verdict propose(Charter charter) {
        checkMembers(charter);
        checkCommitments(charter);
        if (!node.channels().create(charter, CharterBook.PROPOSED, node.now())) {
            throw new Refused(409, "channel-exists", "a channel '" + charter.channel() + "' exists already");
        }
        return compose(charter.channel(), Json.object().put("action", "propose").set("charter", charter.toJson()));
    }

    /**
     * Signs the terms awaiting our signature (a proposal or an amendment), if they are the terms the operator reviewed:
     * {@code reviewedHash} is the hash of the terms as they were shown, so terms swapped in meanwhile are not signed.
     * Every member must be pinned here under the key the terms name.
     */
    public Verdict sign(String channel, String reviewedHash) {
        Charter terms = node.charters().awaitingSignature(channel)
                .orElseThrow(() -> new Refused(409, "nothing-to-sign", "channel " + channel + " has no terms awaiting signature"));
        String hash = terms.hash();
        if (!hash.equals(reviewedHash)) {
            throw new Refused(409, "charter-changed", "the terms awaiting signature in channel " + channel + " have hash " + hash
                    + ", not the hash you reviewed (" + reviewedHash + "): they changed; review them again before signing");
        }
        if (node.channels().signers(channel, hash).contains(node.origin())) throw new Refused(409, "already-signed", "this node has signed these terms already");
        node.charters().keyProblem(terms).ifPresent(p -> {
            throw p instanceof CharterBook.KeyProblem.Unpinned
                    ? new Refused(409, "unpinned-party", "cannot sign: " + p.detail())
                    : new Refused(422, "key-mismatch", "cannot sign: " + p.detail());
        });
        return compose(channel, Json.object().put("action", "sign").put("charter_hash", hash));
    }

    /** Proposes new terms for an active channel; the old ones stay in force until every member of the new ones signs. */
    public Verdict amend(Charter charter) {
        if (!node.charters().active(charter.channel())) throw new Refused(409, "channel-not-active", "channel " + charter.channel() + " is not active");
        checkMembers(charter);
        checkCommitments(charter);
        return compose(charter.channel(), Json.object().put("action", "amend").set("charter", charter.toJson()));
    }

    private Verdict compose(String channel, com.fasterxml.jackson.databind.node.ObjectNode body) {
        return node.composer().compose(new Composer.Draft(channel, Kind.CHARTER, null, Priority.ROUTINE, Tlp.GREEN, body));
    }

    /** We must be a member with our key, and every other member must be a peer we know with the key the charter names. */
    private void checkMembers(Charter charter) {
        Optional<Charter.Member> me = charter.member(node.origin());
        if (me.isEmpty()) throw invalid("/members", "this node (" + node.origin() + ") must be a member");
        if (!me.get().key().equals(node.key().verifierKey())) throw invalid("/members", "the key given for " + node.origin() + " is not this node's key");
        for (Charter.Member m : charter.members()) {
            if (m.origin().equals(node.origin())) continue;
            Optional<PartyCard> card = node.knownCard(m.origin());
            if (card.isEmpty()) throw invalid("/members", m.origin() + " is not a known peer: add it with 'parley peer add' first");
            if (!card.get().verifierKey().equals(m.key())) throw invalid("/members", "the key given for " + m.origin() + " is not the key we know for it");
        }
    }

    /**
     * Terms we propose list only commitments of the catalogue shipped here (or free-form ones): members must be able
     * to read what they subscribe to. Only what we sign is held to this; charters signed elsewhere, perhaps under a
     * newer catalogue, still parse and verify.
     */
    private static void checkCommitments(Charter charter) {
        List<String> unknown = CommitmentCatalogue.shipped().unknownIn(charter.practice());
        if (unknown.isEmpty()) return;
        String at = unknown.get(0);
        String id = charter.practice().commitments().get(Integer.parseInt(at.substring(at.lastIndexOf('/') + 1))).id();
        throw new Refused(400, "unknown-commitment", at, "commitment " + id + " is not in the catalogue (GET /api/v1/commitments lists it);"
                + " a commitment of your own has an id starting with 'free:' and its text");
    }

    private static EnvelopeFormatException invalid(String field, String message) {
        return EnvelopeFormatException.inCharter(field, message);
    }
}
