package io.parley.channel;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

import io.parley.charter.Charter;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Rejection;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.envelope.WithheldNotice;
import io.parley.evidence.InlineMarkings;
import io.parley.store.ChainHead;
import io.parley.store.ChannelStore;
import io.parley.store.EnvelopeStore;
import io.parley.store.PartyStore;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.Decision;

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
    /** Told of what each transaction stored, after it committed, in the order stored. */
    private final Consumer<java.util.List<StoredEnvelope>> onAccepted;
    private final Refusals refusals;
    private final Runnable onLinked;

    public EnvelopeAcceptor(ChannelStore channels, CharterBook charters, EnvelopeStore envelopes, PartyStore parties, Clock clock,
                            Consumer<java.util.List<StoredEnvelope>> onAccepted, Refusals refusals) {
        this(channels, charters, envelopes, parties, clock, onAccepted, refusals, () -> {});
    }

    /** As above; {@code onLinked} runs after a withheld notice was stored as a placeholder link (e.g. to wake the log). */
    public EnvelopeAcceptor(ChannelStore channels, CharterBook charters, EnvelopeStore envelopes, PartyStore parties, Clock clock,
                            Consumer<java.util.List<StoredEnvelope>> onAccepted, Refusals refusals, Runnable onLinked) {
        this.channels = channels;
        this.charters = charters;
        this.envelopes = envelopes;
        this.parties = parties;
        this.clock = clock;
        this.onAccepted = onAccepted;
        this.refusals = refusals;
        this.onLinked = onLinked;
    }

    /** A verdict, and whether the envelope's signature verified under its sender's member key on the way to it. */
    private record Judged(Verdict verdict, boolean signatureVerified) {}

    /**
     * Judges and, if acceptable, durably stores {@code e}; refusals are recorded with {@code remote}: in full only
     * when the signature verified under the sender's member key, since anything else may be anyone's.
     */
    public Verdict accept(Envelope e, String remote) {
        return accept(e, remote, null);
    }

    /** As above, reusing the outcome of a signature check a batch made already ({@code known}, or null). */
    private Verdict accept(Envelope e, String remote, KnownSignature known) {
        Judged j = judge(e, false, null, known);
        if (j.verdict() instanceof Verdict.Rejected r) {
            // RED text that was not for us is not kept, not even as evidence of the refusal: only its hash and size.
            if (r.reason() instanceof Rejection.NotRecipient) refusals.notOurs(e, r.reason(), remote);
            else if (j.signatureVerified()) refusals.verified(e, r.reason(), remote);
            else refusals.unverified(e.channel(), e.from(), e.seq(), r.reason(), e.canonicalBytes(), remote);
        }
        return j.verdict();
    }

    /**
     * Judges a batch of peers' envelopes as {@link #accept} judges each, in the order given (a chain's links in seq
     * order), and returns the verdicts in that order. The batch is where throughput comes from: signatures are verified
     * in parallel before any write, and runs of envelopes that extend their chains are stored in one transaction.
     * Nothing is acknowledged before its transaction committed.
     */
    public java.util.List<Verdict> acceptAll(java.util.List<Envelope> batch, String remote) {
        Verdict[] out = new Verdict[batch.size()];
        int start = 0;
        // A charter envelope can change who is a member and with which key: the envelopes after it are prepared anew.
        for (int i = 0; i <= batch.size(); i++) {
            if (i < batch.size() && batch.get(i).kind() != Kind.CHARTER) continue;
            if (i > start) acceptSegment(batch.subList(start, i), remote, out, start);
            if (i < batch.size()) out[i] = accept(batch.get(i), remote);
            start = i + 1;
        }
        return java.util.List.of(out);
    }

    /** A signature already verified for an envelope: which key it was checked under, and the outcome. */
    private record KnownSignature(io.parley.identity.VerifierKey key, boolean valid) {}

    /**
     * An envelope whose signature verified and that passed every check short of the chain, with where it goes: for
     * ours, the outbox rows for every other member (a RED one's named recipients get it and its notice, the others
     * only the notice); a peer's goes nowhere.
     */
    private record Ready(Envelope e, String hash, byte[] canonical, java.util.List<String> recipients, java.util.List<String> withheldFrom, String notice) {}

    /** {@code canonical} is the envelope's canonical form, made once by the caller; its hash names the envelope. */
    private Ready ready(Envelope e, byte[] canonical, boolean own, Optional<java.util.Set<String>> named, WithheldNotice notice) {
        String hash = io.parley.identity.Sha256.hex(canonical);
        if (!own) return new Ready(e, hash, canonical, java.util.List.of(), java.util.List.of(), null);
        java.util.List<String> recipients = charters.recipients(e.channel(), e.kind());
        if (named.isEmpty()) return new Ready(e, hash, canonical, recipients, java.util.List.of(), null);
        return new Ready(e, hash, canonical, recipients.stream().filter(named.get()::contains).toList(),
                recipients.stream().filter(r -> !named.get().contains(r)).toList(), notice.canonical());
    }

    /** Below this many envelopes, verifying in parallel costs more than it saves. */
    private static final int PARALLEL_FROM = 4;

    /**
     * A run of a batch with no charter envelope: members and keys are looked up once, every signature is verified in
     * parallel, and the envelopes that extend their chains are stored in one transaction. Anything else (a refusal, a
     * duplicate told differently, a rival at the same position, a lost race) is judged alone by the one path
     * {@link #accept} takes, with the signature's outcome reused.
     */
    private void acceptSegment(java.util.List<Envelope> seg, String remote, Verdict[] out, int offset) {
        java.util.Map<String, Optional<Charter>> charterOf = new java.util.HashMap<>();
        java.util.Map<String, Boolean> activeOf = new java.util.HashMap<>();
        java.util.Map<String, Optional<Charter.Member>> memberOf = new java.util.HashMap<>();
        io.parley.identity.VerifierKey[] keys = new io.parley.identity.VerifierKey[seg.size()];
        Charter[] charterAt = new Charter[seg.size()];
        for (int i = 0; i < seg.size(); i++) {
            Envelope e = seg.get(i);
            Optional<Charter> charter = charterOf.computeIfAbsent(e.channel(), channels::charter);
            if (charter.isEmpty() || !activeOf.computeIfAbsent(e.channel(), charters::active)) continue;
            Optional<Charter.Member> member = memberOf.computeIfAbsent(chainOf(e), k -> charters.member(e.channel(), e.from(), e.kind()));
            if (member.isEmpty()) continue;
            keys[i] = member.get().key();
            charterAt[i] = charter.get();
        }
        boolean[] valid = new boolean[seg.size()];
        java.util.stream.IntStream indices = java.util.stream.IntStream.range(0, seg.size());
        (seg.size() >= PARALLEL_FROM ? indices.parallel() : indices)
                .forEach(i -> valid[i] = keys[i] != null && seg.get(i).signed() && EnvelopeSigner.verify(seg.get(i), keys[i]));
        Ready[] ready = new Ready[seg.size()];
        for (int i = 0; i < seg.size(); i++) {
            if (!valid[i]) continue;
            Envelope e = seg.get(i);
            // the canonical form is made once here: its size is checked, its hash names it, its bytes are stored
            byte[] canonical = e.canonicalBytes();
            if (precheck(e, false, charterAt[i], null, canonical, true).refused() == null) ready[i] = ready(e, canonical, false, Optional.empty(), null);
        }
        // chains in which this batch had an envelope refused: what follows it there is refused too, usually as a gap
        java.util.Set<String> refusedChains = new java.util.HashSet<>();
        int i = 0;
        while (i < seg.size()) {
            if (ready[i] == null) {
                out[offset + i] = accept(seg.get(i), remote, keys[i] == null ? null : new KnownSignature(keys[i], valid[i]));
                if (out[offset + i] instanceof Verdict.Rejected) refusedChains.add(chainOf(seg.get(i)));
                i++;
                continue;
            }
            int end = i;
            while (end < seg.size() && ready[end] != null) end++;
            int stopped = storeRun(java.util.Arrays.asList(ready).subList(i, end), out, offset + i);
            i += stopped;
            // the envelope the run stopped at is judged alone: it is a rival, a duplicate told differently, or out of order
            if (i < end) {
                out[offset + i] = refusedChains.contains(chainOf(seg.get(i))) ? gapAfterRefusal(seg.get(i)) : null;
                if (out[offset + i] == null) out[offset + i] = accept(seg.get(i), remote, new KnownSignature(keys[i], true));
                if (out[offset + i] instanceof Verdict.Rejected) refusedChains.add(chainOf(seg.get(i)));
                i++;
            }
        }
    }

    private static String chainOf(Envelope e) {
        return e.channel() + "\n" + e.from();
    }

    /**
     * The verdict for a signed, well-formed envelope that lies beyond the head of a chain in which this batch already
     * had one refused: a gap, exactly as judging it alone would say (a chain has no holes, so nothing is held past its
     * head), without recording it again. Otherwise a forged or broken link at the front of a page would cost a
     * recorded refusal, and a transaction, for each of up to a thousand links after it. Null when it is not past the
     * head, to be judged alone.
     */
    private Verdict gapAfterRefusal(Envelope e) {
        long expected = envelopes.head(e.channel(), e.from()).map(h -> h.seq() + 1).orElse(1L);
        return e.seq() > expected ? reject(new Rejection.ChainGap(e.from(), expected, e.seq())) : null;
    }

    /**
     * Stores, in one transaction, the leading envelopes of {@code run} that are either the next link of their chain
     * (as this transaction sees it, including the links it added) or exactly an envelope already held; returns how
     * many it settled. The first that is neither ends the run. Verdicts are written to {@code out} only once the
     * transaction committed, and listeners hear of the stored envelopes then.
     */
    private int storeRun(java.util.List<Ready> run, Verdict[] out, int offset) {
        Verdict[] verdicts = new Verdict[run.size()];
        java.util.List<StoredEnvelope> stored = new java.util.ArrayList<>();
        java.time.Instant now = clock.instant();
        int settled = envelopes.write(w -> {
            stored.clear();
            java.util.Map<String, Optional<ChainHead>> heads = new java.util.HashMap<>();
            for (int k = 0; k < run.size(); k++) {
                Envelope e = run.get(k).e();
                String hash = run.get(k).hash();
                String chain = chainOf(e);
                Optional<ChainHead> head = heads.get(chain);
                if (head == null) head = w.head(e.channel(), e.from());
                long expected = head.map(h -> h.seq() + 1).orElse(1L);
                if (e.seq() == expected && java.util.Objects.equals(head.map(ChainHead::hash).orElse(null), e.prev())) {
                    Ready r = run.get(k);
                    java.util.OptionalLong id = w.insert(e, r.canonical(), hash, now, r.recipients(), r.withheldFrom(), r.notice());
                    if (id.isEmpty()) return k; // another writer took the hash or the position: judged alone
                    heads.put(chain, Optional.of(new ChainHead(e.seq(), hash)));
                    stored.add(new StoredEnvelope(id.getAsLong(), e, hash, now));
                    verdicts[k] = new Verdict.Accepted(e, hash);
                    continue;
                }
                heads.put(chain, head);
                if (e.seq() < expected) {
                    Optional<EnvelopeStore.Link> held = w.link(e.channel(), e.from(), e.seq());
                    if (held.isPresent() && !held.get().withheld() && held.get().hash().equals(hash)) {
                        verdicts[k] = new Verdict.Duplicate(e, hash);
                        continue;
                    }
                }
                return k;
            }
            return run.size();
        });
        System.arraycopy(verdicts, 0, out, offset, settled);
        if (!stored.isEmpty()) onAccepted.accept(java.util.List.copyOf(stored));
        return settled;
    }

    /** An envelope this node signed, with its signed withheld notice if it is TLP:RED (else null). */
    public record Own(Envelope envelope, WithheldNotice notice) {}

    /**
     * Judges an envelope of ours as {@link #acceptOwn} would, short of the chain, storing nothing: the refusal, or
     * empty if it may extend our chain. What the Composer asks before signing the next envelope on top of it.
     */
    public Optional<Rejection> refusalOfOwn(Own own) {
        Prepared p = prepare(own.envelope(), true, own.notice(), null);
        return p.refused() == null ? Optional.empty() : Optional.of(((Verdict.Rejected) p.refused().verdict()).reason());
    }

    /**
     * Stores a run of our envelopes (each already passed {@link #refusalOfOwn}, none a charter envelope, each the
     * next link after the one before it) with their log entries and outbox rows in one transaction, and returns how
     * many were stored, from the first. Fewer than all means another instance sharing our database extended our
     * chain first: the rest must be signed again on the new head, as a lost race in {@link #acceptOwn} is.
     */
    public int acceptOwnAll(java.util.List<Own> run) {
        java.util.List<Ready> ready = new java.util.ArrayList<>(run.size());
        for (Own o : run) {
            if (o.envelope().kind() == Kind.CHARTER) throw new IllegalArgumentException("charter envelopes are stored one by one");
            Optional<java.util.Set<String>> named = redRecipients(o.envelope());
            ready.add(ready(o.envelope(), o.envelope().canonicalBytes(), true, named, o.notice()));
        }
        return storeRun(ready, new Verdict[run.size()], 0);
    }

    /**
     * Judges an envelope this node just signed. A different envelope already at its seq means another instance
     * sharing our database won the race for that seq: reported as a {@link Rejection.ChainBreak} for the caller to
     * rebuild on the new head, not recorded as our own equivocation, since this one never left the node.
     */
    public Verdict acceptOwn(Envelope e) {
        return judge(e, true, null, null).verdict();
    }

    /**
     * As {@link #acceptOwn(Envelope)} for a TLP:RED envelope of ours: it is queued only for its named recipients, and
     * {@code notice} (our signed withheld notice for it) for every other member.
     */
    public Verdict acceptOwn(Envelope e, WithheldNotice notice) {
        return judge(e, true, notice, null).verdict();
    }

    /**
     * The named recipients of {@code e} if it is TLP:RED (see {@link RedRecipients}), judged against the charter in
     * force; empty for other labels, an unknown channel, or a label above the channel's ceiling (which
     * {@link #acceptOwn} refuses as such first).
     *
     * @throws io.parley.envelope.EnvelopeFormatException at {@code /body/recipients} when a RED envelope names them wrongly
     */
    public Optional<java.util.Set<String>> redRecipients(Envelope e) {
        return channels.charter(e.channel()).filter(c -> !e.tlp().exceeds(c.tlpCeiling())).flatMap(c -> RedRecipients.of(e, c));
    }

    private Judged judge(Envelope e, boolean own, WithheldNotice notice, KnownSignature known) {
        Prepared p = prepare(e, own, notice, known);
        if (p.refused() != null) return p.refused();
        return new Judged(judgeChain(e, own, p.named(), p.key(), notice), true);
    }

    /** What the checks short of the chain made of an envelope: a refusal, or its sender's key and RED recipients. */
    private record Prepared(Judged refused, io.parley.identity.VerifierKey key, Optional<java.util.Set<String>> named) {}

    /**
     * Every check short of the chain, in the order that keeps forged input harmless: channel, membership and
     * signature first (a refusal before the signature verified is nobody's word), then {@link #precheck}.
     */
    private Prepared prepare(Envelope e, boolean own, WithheldNotice notice, KnownSignature known) {
        Optional<Charter> charter = channels.charter(e.channel());
        if (charter.isEmpty()) {
            Optional<Rejection> refused = own ? Optional.of(new Rejection.UnknownChannel(e.channel())) : charters.adopt(e);
            if (refused.isPresent()) return refused(refused.get(), false);
            charter = channels.charter(e.channel());
        }
        Optional<Charter.Member> member = charters.member(e.channel(), e.from(), e.kind());
        if (member.isEmpty()) return refused(new Rejection.NotMember(e.from(), e.channel()), false);
        // a signature verified earlier counts only under the key the member holds now
        boolean valid = known != null && known.key().equals(member.get().key()) ? known.valid()
                : e.signed() && EnvelopeSigner.verify(e, member.get().key());
        if (!valid) return refused(new Rejection.BadSignature(e.from()), false);
        Precheck checked = precheck(e, own, charter.get(), notice);
        if (checked.refused() != null) return refused(checked.refused(), true);
        return new Prepared(null, member.get().key(), checked.named());
    }

    private static Prepared refused(Rejection r, boolean signatureVerified) {
        return new Prepared(new Judged(reject(r), signatureVerified), null, Optional.empty());
    }

    /** What the checks short of the chain found: a refusal, or (null refusal) the named recipients of a RED envelope. */
    private record Precheck(Rejection refused, Optional<java.util.Set<String>> named) {
        static Precheck refuse(Rejection r) {
            return new Precheck(r, Optional.empty());
        }
    }

    /**
     * The checks after the sender's signature verified and before the chain: the ceiling, RED recipients, the kind's
     * own rules, size and inline markings. Everything refused here is the sender's own word. Reads nothing a batch
     * changes but charters, which is why batches are prepared anew after each charter envelope.
     */
    private Precheck precheck(Envelope e, boolean own, Charter charter, WithheldNotice notice) {
        return precheck(e, own, charter, notice, e.canonicalBytes(), false);
    }

    /** As above, with the envelope's canonical bytes already made and, if {@code knownActive}, its channel known active. */
    private Precheck precheck(Envelope e, boolean own, Charter charter, WithheldNotice notice, byte[] canonical, boolean knownActive) {
        if (e.tlp().exceeds(charter.tlpCeiling())) return Precheck.refuse(new Rejection.TlpAboveCeiling(e.tlp(), charter.tlpCeiling()));
        Optional<java.util.Set<String>> named;
        try {
            named = RedRecipients.of(e, charter);
        } catch (io.parley.envelope.EnvelopeFormatException ex) {
            return Precheck.refuse(new Rejection.Malformed(ex.field(), ex.getMessage()));
        }
        // RED that does not name us was never ours to hold: its sender owes us a withheld notice, not the message.
        if (!own && named.isPresent() && !named.get().contains(charters.self())) return Precheck.refuse(new Rejection.NotRecipient(e.from(), e.seq()));
        if (own && named.isPresent() && (notice == null || !notice.hash().equals(e.hash()))) {
            throw new IllegalArgumentException("a TLP:RED envelope of ours needs its signed withheld notice");
        }
        if (e.kind() == Kind.CHARTER) {
            Optional<Rejection> refused = alreadyHeld(e) ? Optional.empty() : charters.judge(e, own);
            if (refused.isPresent()) return Precheck.refuse(refused.get());
        } else if (!knownActive && !charters.active(e.channel())) {
            return Precheck.refuse(new Rejection.KindNotAccepted(e.kind().wire(), "channel " + e.channel() + " is not active yet: its charter awaits members' signatures"));
        }
        // An opening names a case that is its sender's own: its id must commit to the sender, or any member could
        // open another member's case again, dated earlier, and take it over. Our own openings pass the same check.
        if (CaseIds.opens(e.kind()) && e.caseId() != null && !CaseIds.boundTo(e.caseId(), e.from())) {
            return Precheck.refuse(new Rejection.CaseNotYours(e.caseId(), e.from()));
        }
        // An ack's answer decision is read by the one rule every node and the verifier share; an ill-formed one (a
        // defer without until or dated before the ack, an unknown decision or reason code) is refused here, and
        // would count for nothing in the timeline anyway.
        if (e.kind() == Kind.ACK) {
            try {
                Decision.read(e.body(), e.createdAt(), "");
            } catch (io.parley.envelope.EnvelopeFormatException ex) {
                return Precheck.refuse(new Rejection.Malformed(ex.field(), ex.getMessage()));
            }
        }
        // A courtesy translation's shape is read by the one rule every node and the verifier share; whether it counts
        // (of a message of this case with free text, in another language...) the timeline decides, as the envelope it
        // names may arrive later from its own sender.
        if (io.parley.timeline.CourtesyTranslation.isTranslation(e)) {
            try {
                io.parley.timeline.CourtesyTranslation.read(e, "");
            } catch (io.parley.envelope.EnvelopeFormatException ex) {
                return Precheck.refuse(new Rejection.Malformed(ex.field(), ex.getMessage()));
            }
        }
        if (canonical.length > MAX_ENVELOPE_BYTES) {
            return Precheck.refuse(new Rejection.Malformed("", "the envelope is " + canonical.length + " bytes in canonical form; the limit is "
                    + MAX_ENVELOPE_BYTES + ": attach large evidence by hash"));
        }
        Optional<Rejection> overMarked = inlineMarkings(e, charter.tlpCeiling());
        if (overMarked.isPresent()) return Precheck.refuse(overMarked.get());
        return new Precheck(null, named);
    }

    /** The chain: the next link is stored, the same envelope is a duplicate, a rival at its position is equivocation. */
    private Verdict judgeChain(Envelope e, boolean own, Optional<java.util.Set<String>> named, io.parley.identity.VerifierKey senderKey, WithheldNotice notice) {
        byte[] canonical = e.canonicalBytes();
        String hash = io.parley.identity.Sha256.hex(canonical);
        for (int attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
            Optional<EnvelopeStore.Link> sameSeq = envelopes.link(e.channel(), e.from(), e.seq());
            if (sameSeq.isPresent()) {
                EnvelopeStore.Link kept = sameSeq.get();
                if (kept.withheld()) {
                    // the sender's signed notice holds this position: any envelope here contradicts it (a RED one
                    // naming us, which the notice said did not, included)
                    WithheldNotice held = WithheldNotice.fromJson(io.parley.json.Json.parse(kept.canonical()));
                    if (own || !held.verify(senderKey)) return reject(new Rejection.ChainBreak(e.from(), e.seq(), held.prev(), e.prev()));
                } else {
                    Envelope keptEnvelope = Envelope.fromJson(io.parley.json.Json.parse(kept.canonical()));
                    if (kept.hash().equals(hash)) return new Verdict.Duplicate(e, hash);
                    // Equivocation means two different signed statements: the same content under another signature
                    // (which only the signer can make; encodings are canonical and Bouncy Castle refuses S >= L) is
                    // the envelope we hold, and never evidence against its sender.
                    if (java.util.Arrays.equals(keptEnvelope.signingBytes(), e.signingBytes())) return new Verdict.Duplicate(keptEnvelope, kept.hash());
                    if (!EnvelopeSigner.verify(keptEnvelope, senderKey)) {
                        return reject(new Rejection.ChainBreak(e.from(), e.seq(), keptEnvelope.prev(), e.prev()));
                    }
                    if (own) return reject(new Rejection.ChainBreak(e.from(), e.seq(), keptEnvelope.prev(), e.prev()));
                }
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
            Ready r = ready(e, canonical, own, named, notice);
            if (envelopes.write(w -> w.insert(e, r.canonical(), hash, clock.instant(), r.recipients(), r.withheldFrom(), r.notice())).isPresent()) {
                if (e.kind() == Kind.CHARTER) charters.record(e, hash);
                StoredEnvelope stored = envelopes.byHash(hash).orElseThrow();
                onAccepted.accept(java.util.List.of(stored));
                return new Verdict.Accepted(e, hash);
            }
            // Lost a race with another writer of this chain (or the same envelope arrived twice at once): judge again.
        }
        throw new IllegalStateException("could not settle a write race for " + e.channel() + "/" + e.from() + "/" + e.seq());
    }

    /** What became of a withheld notice: the same outcomes as an envelope's, named by the withheld envelope's hash. */
    public sealed interface NoticeVerdict {
        record Linked(String hash) implements NoticeVerdict {}

        record Duplicate(String hash) implements NoticeVerdict {}

        /** Kept beside a RED envelope this node holds as a named recipient (for case bundles); no chain link added. */
        record Attached(String hash) implements NoticeVerdict {}

        record Rejected(Rejection reason) implements NoticeVerdict {}
    }

    /**
     * Judges a peer's withheld notice and, if it is the next link of its sender's chain, stores it as a placeholder
     * (see {@link EnvelopeStore#insertWithheld}). The checks mirror {@link #accept}: membership and the signature
     * first (under the sender's charter key, in the notice's own signing context), so a forged or unsigned notice
     * is never recorded against anyone and never occupies a chain position; then the ceiling; then, if we are a named
     * recipient, it is only kept beside the envelope it states ({@link #attach}: a recipient needs the envelope itself
     * and must not let a notice stand in for it in its chain); otherwise the chain, where a different envelope or
     * notice at the same position is equivocation.
     */
    public NoticeVerdict acceptNotice(WithheldNotice n, String remote) {
        NoticeVerdict v = judgeNotice(n);
        if (v instanceof NoticeVerdict.Rejected r) {
            boolean forged = r.reason() instanceof Rejection.NotMember || r.reason() instanceof Rejection.BadSignature
                    || r.reason() instanceof Rejection.UnknownChannel;
            refusals.notice(n, r.reason(), !forged, remote);
        }
        return v;
    }

    private NoticeVerdict judgeNotice(WithheldNotice n) {
        Optional<Charter> charter = channels.charter(n.channel());
        if (charter.isEmpty()) return refuse(new Rejection.UnknownChannel(n.channel()));
        Optional<Charter.Member> member = charters.member(n.channel(), n.from(), Kind.NOTIFY);
        if (member.isEmpty()) return refuse(new Rejection.NotMember(n.from(), n.channel()));
        if (n.sig() == null || !n.verify(member.get().key())) return refuse(new Rejection.BadSignature(n.from()));
        if (!charters.active(n.channel())) {
            return refuse(new Rejection.KindNotAccepted("withheld", "channel " + n.channel() + " is not active yet: its charter awaits members' signatures"));
        }
        if (Tlp.RED.exceeds(charter.get().tlpCeiling())) return refuse(new Rejection.TlpAboveCeiling(Tlp.RED, charter.get().tlpCeiling()));
        if (n.recipients().contains(n.from()) || n.recipients().stream().anyMatch(r -> charter.get().member(r).isEmpty())) {
            return refuse(new Rejection.Malformed("/recipients", "recipients must be members other than the sender"));
        }
        if (n.recipients().contains(charters.self())) return attach(n);
        for (int attempt = 0; attempt < MAX_RACE_RETRIES; attempt++) {
            Optional<EnvelopeStore.Link> sameSeq = envelopes.link(n.channel(), n.from(), n.seq());
            if (sameSeq.isPresent()) {
                EnvelopeStore.Link kept = sameSeq.get();
                if (kept.withheld()) {
                    WithheldNotice held = WithheldNotice.fromJson(io.parley.json.Json.parse(kept.canonical()));
                    // the same statement (only its signer can sign it twice) is the one we hold
                    if (java.util.Arrays.equals(held.signingBytes(), n.signingBytes())) return new NoticeVerdict.Duplicate(n.hash());
                    if (!held.verify(member.get().key())) return refuse(new Rejection.ChainBreak(n.from(), n.seq(), held.prev(), n.prev()));
                } else if (!EnvelopeSigner.verify(Envelope.fromJson(io.parley.json.Json.parse(kept.canonical())), member.get().key())) {
                    return refuse(new Rejection.ChainBreak(n.from(), n.seq(), null, n.prev()));
                }
                // A second signed statement for one chain position: another envelope, or the same hash told differently.
                String conflictingId = sameSeq.get().hash().equals(n.hash()) ? "notice:" + n.noticeHash() : n.hash();
                envelopes.recordEquivocation(n.channel(), n.from(), n.seq(), sameSeq.get().hash(), conflictingId, n.canonical(), clock.instant());
                parties.flag(n.from(), "equivocation in channel " + n.channel() + " at seq " + n.seq(), clock.instant());
                return refuse(new Rejection.Equivocation(n.from(), n.seq(), sameSeq.get().hash(), conflictingId));
            }
            Optional<ChainHead> head = envelopes.head(n.channel(), n.from());
            long expected = head.map(h -> h.seq() + 1).orElse(1L);
            if (n.seq() < expected) continue;
            if (n.seq() != expected) return refuse(new Rejection.ChainGap(n.from(), expected, n.seq()));
            String expectedPrev = head.map(ChainHead::hash).orElse(null);
            if (!java.util.Objects.equals(expectedPrev, n.prev())) return refuse(new Rejection.ChainBreak(n.from(), n.seq(), expectedPrev, n.prev()));
            if (envelopes.insertWithheld(n, clock.instant())) {
                onLinked.run();
                return new NoticeVerdict.Linked(n.hash());
            }
        }
        throw new IllegalStateException("could not settle a write race for " + n.channel() + "/" + n.from() + "/" + n.seq());
    }

    /**
     * A notice for a RED envelope naming us never stands in for it in our chain: we keep it only beside the envelope
     * itself, once held, and only if it states exactly that envelope (position, prev, time, the recipients the
     * envelope names), so a bundle that carries it in the envelope's place says nothing the envelope does not.
     */
    private NoticeVerdict attach(WithheldNotice n) {
        Optional<EnvelopeStore.Link> held = envelopes.link(n.channel(), n.from(), n.seq());
        if (held.isEmpty() || held.get().withheld() || !held.get().hash().equals(n.hash())) {
            return refuse(new Rejection.KindNotAccepted("withheld", "this node is a named recipient of " + n.hash()
                    + ": it takes the envelope, and the notice only beside it"));
        }
        Envelope e = Envelope.fromJson(io.parley.json.Json.parse(held.get().canonical()));
        boolean states = e.tlp() == Tlp.RED && java.util.Objects.equals(e.prev(), n.prev()) && e.created().equals(n.created())
                && redRecipients(e).map(r -> java.util.List.copyOf(new java.util.TreeSet<>(r)).equals(n.recipients())).orElse(false);
        if (!states) return refuse(new Rejection.Malformed("", "the notice does not state the envelope " + n.hash() + " it names"));
        if (envelopes.attachNotice(n.hash(), n.canonical())) return new NoticeVerdict.Attached(n.hash());
        // Already held: the same one again, or (Ed25519 being deterministic, only a re-signed one) a different one
        if (envelopes.senderNotice(n.hash()).filter(n.canonical()::equals).isPresent()) return new NoticeVerdict.Duplicate(n.hash());
        return refuse(new Rejection.Malformed("", "a different notice for " + n.hash() + " is already held"));
    }

    private static NoticeVerdict refuse(Rejection reason) {
        return new NoticeVerdict.Rejected(reason);
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
        if (e.kind() == Kind.CHARTER) return Optional.empty();
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
