package io.parley.federation;

import java.io.IOException;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.parley.identity.PartyCard;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.store.RejectionRecord;

/**
 * Peering: learning a party's card and deciding whether to trust its key. A new party's key is trusted only with
 * the fingerprint a human compared out of band; a known party may present a new key only with a hand-over signature
 * by the key we knew. Anything else is refused loudly and recorded.
 */
public final class PeerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);

    /**
     * Why a card was not accepted: {@code peer-refused} (its key may not be trusted, or there is no such peer) or
     * {@code peer-unreachable} (its card could not be fetched). The message is what the operator sees.
     */
    public static final class PeerRefused extends Exception {
        private final int status;
        private final String code;

        public PeerRefused(int status, String message) {
            this(status, "peer-refused", message);
        }

        private PeerRefused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        /** The card at {@code url} could not be fetched (connection, TLS, HTTP or parse failure). */
        static PeerRefused unreachable(IOException e) {
            return new PeerRefused(422, "peer-unreachable", e.getMessage());
        }

        public int status() {
            return status;
        }

        /** Stable problem code. */
        public String code() {
            return code;
        }
    }

    private final Node node;
    private final PeerClient client;

    public PeerDirectory(Node node, PeerClient client) {
        this.node = node;
        this.client = client;
    }

    /** Fetches the card at {@code url} and records the party if its key may be trusted. */
    public PartyCard add(String url, String expectedFingerprint) throws InterruptedException, PeerRefused {
        return accept(fetch(url), expectedFingerprint, url);
    }

    /** Re-reads a known peer's card from its published address (e.g. after it rotated its key). */
    public PartyCard refresh(String origin) throws InterruptedException, PeerRefused {
        PartyCard known = node.knownCard(origin).orElseThrow(() -> new PeerRefused(404, origin + " is not a known peer"));
        return accept(fetch(known.baseUrl()), null, known.baseUrl());
    }

    private PartyCard fetch(String url) throws InterruptedException, PeerRefused {
        try {
            return client.card(url);
        } catch (IOException e) {
            throw PeerRefused.unreachable(e);
        }
    }

    PartyCard accept(PartyCard card, String expectedFingerprint, String url) throws PeerRefused {
        if (card.origin().equals(node.origin())) throw new PeerRefused(422, url + " is this node itself");
        Optional<PartyCard> known = node.knownCard(card.origin());
        if (known.isEmpty() || known.get().verifierKey().equals(card.verifierKey())) {
            if (known.isEmpty() && expectedFingerprint == null) {
                throw new PeerRefused(422, "a new peer needs the fingerprint you compared with " + card.origin() + " out of band (it presents " + card.fingerprint() + ")");
            }
            if (expectedFingerprint != null && !expectedFingerprint.equals(card.fingerprint())) {
                throw refuse(card, url, "fingerprint-mismatch", "the key of " + card.origin() + " at " + url + " has fingerprint " + card.fingerprint()
                        + ", not " + expectedFingerprint + ": do not trust it");
            }
        } else if (card.rotatedFrom(known.get().verifierKey())) {
            LOG.info("{} rotated its key from {} to {}", card.origin(), known.get().fingerprint(), card.fingerprint());
        } else {
            throw refuse(card, url, "key-changed", "REFUSED: " + card.origin() + " now presents key " + card.fingerprint() + " instead of "
                    + known.get().fingerprint() + ", without a hand-over signature by the known key; this may be an impostor");
        }
        String text = Json.write(card.toJson());
        boolean changed = node.parties().find(card.origin()).map(p -> !p.card().equals(text)).orElse(true);
        node.parties().put(card.origin(), card.verifierKey().encoded(), card.fingerprint(), text, node.now());
        node.parties().pinTls(card.origin(), card.tlsCertSha256()); // the signed card names it, so the pinned key vouches for it
        if (changed) node.logCard(card);
        return card;
    }

    private PeerRefused refuse(PartyCard card, String url, String code, String message) {
        LOG.error(message);
        // An operator fetched this card on purpose; it is kept in full as evidence of what that address presented.
        node.envelopes().recordRejection(RejectionRecord.verified(node.now(), url, null, card.origin(), null, code, message, Json.write(card.toJson())));
        return new PeerRefused(409, message);
    }
}
