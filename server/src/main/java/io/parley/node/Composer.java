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
    /** channel id → the drafts waiting to be written in it, and the lock held while building, signing and storing them. */
    private final ConcurrentHashMap<String, ChannelQueue> queues = new ConcurrentHashMap<>();

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
        if (d.kind() == Kind.CHARTER) return composeAlone(d, createdAt);
        Pending mine = new Pending(d, createdAt);
        ChannelQueue queue = queues.computeIfAbsent(d.channel(), c -> new ChannelQueue());
        queue.waiting.add(mine);
        awaitWritten(queue, List.of(mine));
        return mine.result();
    }

    /**
     * Group commit: whoever takes the channel's lock signs and stores everything queued behind it in one transaction,
     * so writers that pile up while a commit is under way share the next one. The others wait for their own draft to
     * be written, not for the lock: had they all queued on the lock just to find their draft done, the next leader
     * would have found almost nothing queued, and the groups would have shrunk to one or two.
     */
    private void awaitWritten(ChannelQueue queue, List<Pending> mine) {
        for (Pending p : mine) {
            while (!p.done()) {
                if (queue.lock.tryLock()) {
                    try {
                        if (!p.done()) composeGroup(queue.take(MAX_GROUP));
                    } finally {
                        queue.lock.unlock();
                    }
                } else {
                    p.awaitDone();
                }
            }
        }
    }

    /**
     * Signs and stores many drafts (a bulk import, a batch from a client) in order, in as few transactions as
     * {@link #MAX_GROUP} allows, sharing them with any other writer of the same channels. Every draft passes the
     * outgoing checks before any is signed. Returns the verdicts in order; a draft that cannot be built (a RED one
     * naming no recipients) throws after the others were written.
     */
    public List<Verdict> composeAll(List<Draft> drafts) {
        drafts.forEach(this::refuseFaulty);
        List<Pending> mine = new java.util.ArrayList<>(drafts.size());
        java.util.Map<String, ChannelQueue> touched = new java.util.LinkedHashMap<>();
        for (Draft d : drafts) {
            if (d.kind() == Kind.CHARTER) throw new IllegalArgumentException("charter envelopes are composed one by one");
            Pending p = new Pending(d, null);
            ChannelQueue queue = queues.computeIfAbsent(d.channel(), c -> new ChannelQueue());
            queue.waiting.add(p);
            touched.put(d.channel(), queue);
            mine.add(p);
        }
        for (var channel : touched.entrySet()) {
            awaitWritten(channel.getValue(), mine.stream().filter(p -> p.draft.channel().equals(channel.getKey())).toList());
        }
        return mine.stream().map(Pending::result).toList();
    }

    /** The most of our envelopes one transaction stores: bounds the time a caller waits for others' drafts. */
    static final int MAX_GROUP = 256;

    /** A caller's draft waiting to be written, and what became of it. */
    private static final class Pending {
        final Draft draft;
        final java.time.Instant createdAt;
        /**
         * Counted down by the leader that wrote it (or failed to), after setting the outcome: what its writer waits on,
         * and what makes the outcome visible to it.
         */
        private final java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
        private Verdict verdict;
        private RuntimeException failure;

        Pending(Draft draft, java.time.Instant createdAt) {
            this.draft = draft;
            this.createdAt = createdAt;
        }

        boolean done() {
            return written.getCount() == 0;
        }

        void succeed(Verdict v) {
            verdict = v;
            written.countDown();
        }

        void fail(RuntimeException e) {
            failure = e;
            written.countDown();
        }

        /** Waits until written, or briefly: a draft the current leader did not take needs a leader of its own. */
        void awaitDone() {
            try {
                written.await(2, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the envelope was being written", e);
            }
        }

        Verdict result() {
            if (failure != null) throw failure;
            return verdict;
        }
    }

    /** One channel's waiting drafts (any thread adds; the lock's holder takes) and the lock whose holder writes them. */
    private static final class ChannelQueue {
        final ReentrantLock lock = new ReentrantLock();
        final java.util.concurrent.ConcurrentLinkedQueue<Pending> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();

        List<Pending> take(int max) {
            List<Pending> out = new java.util.ArrayList<>();
            for (Pending p; out.size() < max && (p = waiting.poll()) != null; ) out.add(p);
            return out;
        }
    }

    /**
     * Signs the drafts on our chain in order and stores them in one transaction. A draft the acceptor refuses (over
     * the ceiling, say) or that cannot be built (a RED one naming no recipients) is answered alone and takes no
     * place in the chain; the next is signed on the link before it. If another instance extended our chain first,
     * what was not stored is signed again on the new head.
     */
    private void composeGroup(List<Pending> group) {
        try {
            writeGroup(group);
        } catch (RuntimeException e) {
            // the database failed: nothing of this transaction was stored, and every caller still waiting hears why
            for (Pending p : group) if (!p.done()) p.fail(e);
        }
    }

    private void writeGroup(List<Pending> group) {
        List<Pending> left = group;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && !left.isEmpty(); attempt++) {
            var head = envelopes.head(left.getFirst().draft.channel(), key.name());
            long seq = head.map(h -> h.seq() + 1).orElse(1L);
            String prev = head.map(ChainHead::hash).orElse(null);
            List<Pending> signed = new java.util.ArrayList<>();
            List<EnvelopeAcceptor.Own> run = new java.util.ArrayList<>();
            for (Pending p : left) {
                EnvelopeAcceptor.Own own;
                try {
                    own = sign(p.draft, p.createdAt, seq, prev);
                } catch (RuntimeException e) {
                    p.fail(e);
                    continue;
                }
                var refused = acceptor.refusalOfOwn(own);
                if (refused.isPresent()) {
                    p.succeed(new Verdict.Rejected(refused.get()));
                    continue;
                }
                signed.add(p);
                run.add(own);
                seq++;
                prev = own.envelope().hash();
            }
            int stored = run.isEmpty() ? 0 : acceptor.acceptOwnAll(run);
            for (int i = 0; i < stored; i++) signed.get(i).succeed(new Verdict.Accepted(run.get(i).envelope(), run.get(i).envelope().hash()));
            left = signed.subList(stored, signed.size());
        }
        for (Pending p : left) p.succeed(composeAlone(p.draft, p.createdAt)); // still losing races: one at a time says why
    }

    /**
     * Our envelope for {@code d} at ({@code seq}, {@code prev}), signed. TLP:RED (issue 10) goes only to its named
     * recipients: it must name them ({@code body.recipients}, members of the channel; otherwise
     * {@link EnvelopeFormatException} at {@code /body/recipients}, which the API answers with a problem), and every
     * other member gets our signed withheld notice instead, so its copy of our chain stays whole without the message.
     */
    private EnvelopeAcceptor.Own sign(Draft d, java.time.Instant createdAt, long seq, String prev) {
        String created = (createdAt != null ? createdAt : clock.instant()).truncatedTo(ChronoUnit.MILLIS).toString();
        Envelope signed = EnvelopeSigner.sign(new Envelope(Envelope.VERSION, d.channel(), key.name(), seq, prev, d.kind(), d.caseId(),
                created, d.priority(), d.tlp(), d.body(), null), key);
        var named = acceptor.redRecipients(signed);
        return new EnvelopeAcceptor.Own(signed, named.map(n -> WithheldNotice.of(signed, signed.hash(), n).sign(key)).orElse(null));
    }

    /** A charter envelope: judged and stored alone, as it may change the terms the next envelope is judged by. */
    private Verdict composeAlone(Draft d, java.time.Instant createdAt) {
        ChannelQueue queue = queues.computeIfAbsent(d.channel(), c -> new ChannelQueue());
        queue.lock.lock();
        try {
            Verdict last = null;
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                var head = envelopes.head(d.channel(), key.name());
                last = store(sign(d, createdAt, head.map(h -> h.seq() + 1).orElse(1L), head.map(ChainHead::hash).orElse(null)));
                if (!(last instanceof Verdict.Rejected r && isLostRace(r.reason()))) return last;
            }
            return last;
        } finally {
            queue.lock.unlock();
        }
    }

    /** Stores one signed envelope of ours (with its notice if RED) in its own transaction. */
    private Verdict store(EnvelopeAcceptor.Own own) {
        return own.notice() == null ? acceptor.acceptOwn(own.envelope()) : acceptor.acceptOwn(own.envelope(), own.notice());
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
