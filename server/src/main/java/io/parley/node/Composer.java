package io.parley.node;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.channel.EnvelopeAcceptor;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Rejection;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.envelope.WithheldNotice;
import io.parley.identity.SigningKey;
import io.parley.store.ChainHead;
import io.parley.store.EnvelopeStore;

/**
 * Writes this node's own envelopes: takes the next seq and prev of our chain in the channel, signs and stores.
 *
 * <p>A lock per channel keeps this instance's writers in line; other instances sharing the database are settled by
 * the store's unique key, after which we re-read the head and sign again (a lost race shows up as a chain gap or
 * break for the envelope we built, never as a stored fork, because a fork needs our signature on both).
 */
public final class Composer {
    private static final int MAX_ATTEMPTS = 8;

    private final SigningKey key;
    private final EnvelopeStore envelopes;
    private final EnvelopeAcceptor acceptor;
    private final Clock clock;
    /** Rules every draft passes before it is signed (evidence and markings: {@link #refuseFaulty}). */
    private final List<OutgoingCheck> checks;
    /** channel id → lock held while building, signing and storing one of our envelopes in it. */
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public Composer(SigningKey key, EnvelopeStore envelopes, EnvelopeAcceptor acceptor, Clock clock, List<OutgoingCheck> checks) {
        this.key = key;
        this.envelopes = envelopes;
        this.acceptor = acceptor;
        this.clock = clock;
        this.checks = List.copyOf(checks);
    }

    /**
     * What a caller asks us to say; the Composer adds the chain, time and signature.
     *
     * @param author the local account on whose behalf the envelope is written, or null for the node's own automatic
     *     envelopes (pongs, escalations), which get the least privilege in checks that depend on who asks
     */
    public record Draft(String channel, Kind kind, String caseId, Priority priority, Tlp tlp, ObjectNode body, String author) {
        public Draft(String channel, Kind kind, String caseId, Priority priority, Tlp tlp, ObjectNode body) {
            this(channel, kind, caseId, priority, tlp, body, null);
        }
    }

    /** Signs and stores; returns the verdict (Accepted, or Rejected with the reason, e.g. TLP above ceiling). */
    public Verdict compose(Draft d) {
        return compose(d, null);
    }

    /**
     * As {@link #compose(Draft)}, stating an earlier creation time (e.g. recording a call that happened by phone, or
     * the demo's history). The time is part of what we sign; a time in the future is refused.
     */
    public Verdict compose(Draft d, java.time.Instant createdAt) {
        if (createdAt != null && createdAt.isAfter(clock.instant())) throw new IllegalArgumentException("an envelope cannot be created in the future");
        refuseFaulty(d);
        ReentrantLock lock = locks.computeIfAbsent(d.channel(), c -> new ReentrantLock());
        lock.lock();
        try {
            Verdict last = null;
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                var head = envelopes.head(d.channel(), key.name());
                long seq = head.map(h -> h.seq() + 1).orElse(1L);
                String prev = head.map(ChainHead::hash).orElse(null);
                String created = (createdAt != null ? createdAt : clock.instant()).truncatedTo(ChronoUnit.MILLIS).toString();
                Envelope draft = new Envelope(Envelope.VERSION, d.channel(), key.name(), seq, prev, d.kind(), d.caseId(),
                        created, d.priority(), d.tlp(), d.body(), null);
                last = store(EnvelopeSigner.sign(draft, key));
                if (!(last instanceof Verdict.Rejected r && isLostRace(r.reason()))) return last;
            }
            return last;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores a signed envelope of ours. TLP:RED (issue 10) goes only to its named recipients: it must name them
     * ({@code body.recipients}, members of the channel; otherwise {@link EnvelopeFormatException} at
     * {@code /body/recipients}, which the API answers with a problem), and every other member gets our signed
     * withheld notice instead, so its copy of our chain stays whole without the message. Kept apart from
     * {@link #compose} so the other outgoing checks that live here stay separate.
     */
    private Verdict store(Envelope signed) {
        var named = acceptor.redRecipients(signed);
        if (named.isEmpty()) return acceptor.acceptOwn(signed);
        WithheldNotice notice = WithheldNotice.of(signed, signed.hash(), named.get()).sign(key);
        return acceptor.acceptOwn(signed, notice);
    }

    /**
     * Our signed withheld notice for our own RED envelope {@code e}: what catch-up serves a member that is not a
     * named recipient. Deterministic (Ed25519 signatures are), so it is byte for byte the notice the outbox pushed.
     */
    public java.util.Optional<WithheldNotice> noticeFor(Envelope e) {
        if (!e.from().equals(key.name())) return java.util.Optional.empty();
        return acceptor.redRecipients(e).map(named -> WithheldNotice.of(e, e.hash(), named).sign(key));
    }

    /**
     * Runs every outgoing check on {@code d}; the first check with faults refuses the draft before anything is signed.
     *
     * @throws OutgoingCheck.Refused listing the faults
     */
    private void refuseFaulty(Draft d) {
        for (OutgoingCheck check : checks) {
            List<Fault> faults = check.faults(d);
            if (!faults.isEmpty()) {
                throw new OutgoingCheck.Refused(check.code(), "the envelope may not be sent in channel " + d.channel() + ": "
                        + faults.size() + " fault" + (faults.size() == 1 ? "" : "s") + "; see errors", faults);
            }
        }
    }

    private static boolean isLostRace(Rejection r) {
        return r instanceof Rejection.ChainGap || r instanceof Rejection.ChainBreak;
    }
}
