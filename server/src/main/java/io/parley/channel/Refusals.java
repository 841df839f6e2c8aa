package io.parley.channel;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.envelope.Envelope;
import io.parley.envelope.Rejection;
import io.parley.store.EnvelopeStore;
import io.parley.store.RejectionRecord;

/**
 * Where every refused envelope from outside is recorded and counted. What is kept depends on whether the signature
 * verified under the sender's member key (see {@link RejectionRecord}); the count goes to the Prometheus counter
 * {@code parley_envelopes_refused_total{code}}, whose label takes only the fixed codes below ("other" for any code
 * not listed), never a string a caller chose, so a caller cannot grow the metrics either.
 */
public final class Refusals {
    /** The refusal codes of {@link Rejection}; a new reason must be added here to get its own series. */
    static final List<String> CODES = List.of("malformed", "unknown-channel", "not-member", "bad-signature", "tlp-above-ceiling",
            "stix-above-label", "chain-gap", "chain-break", "equivocation", "kind-not-accepted", "key-mismatch", "not-recipient",
            "case-not-yours");
    static final String OTHER = "other";

    private final EnvelopeStore envelopes;
    private final Clock clock;
    private final Map<String, Counter> counters = new TreeMap<>();

    public Refusals(EnvelopeStore envelopes, MeterRegistry metrics, Clock clock) {
        this.envelopes = envelopes;
        this.clock = clock;
        for (String code : CODES) counters.put(code, counter(metrics, code));
        counters.put(OTHER, counter(metrics, OTHER));
    }

    private static Counter counter(MeterRegistry metrics, String code) {
        return Counter.builder("parley_envelopes_refused").description("envelopes refused, by reason").tag("code", code).register(metrics);
    }

    /** A refused envelope whose signature verified under its sender's member key: kept in full. */
    public void verified(Envelope e, Rejection reason, String remote) {
        count(reason);
        envelopes.recordRejection(RejectionRecord.verified(clock.instant(), remote, e.channel(), e.from(), e.seq(), reason.code(), reason.detail(),
                new String(e.canonicalBytes(), StandardCharsets.UTF_8)));
    }

    /**
     * A refused envelope nobody we know is shown to have signed: a bounded summary of {@code raw}. The public counter
     * takes the reason the caller was told ({@code malformed}, else {@code bad-signature}), never the true one, which
     * would tell anyone who reads /metrics which channels exist and who is in them; the record keeps the truth.
     */
    public void unverified(String channel, String sender, Long seq, Rejection reason, byte[] raw, String remote) {
        count(reason instanceof Rejection.Malformed ? reason : new Rejection.BadSignature(sender == null ? "" : sender));
        envelopes.recordRejection(RejectionRecord.unverified(clock.instant(), remote, channel, sender, seq, reason.code(), reason.detail(), raw));
    }

    /**
     * A refused TLP:RED envelope that does not name this node: its sender signed it, but its content is not ours to
     * keep, so only its hash and size are (marked verified: the sender's signature did verify).
     */
    public void notOurs(Envelope e, Rejection reason, String remote) {
        count(reason);
        byte[] raw = e.canonicalBytes();
        envelopes.recordRejection(new RejectionRecord(0, clock.instant(), remote, e.channel(), e.from(), e.seq(), reason.code(), reason.detail(),
                null, true, io.parley.identity.Sha256.hex(raw), (long) raw.length));
    }

    /**
     * A refused withheld notice: kept in full when its sender's signature verified (a notice carries no content),
     * else as a bounded summary like any unverified refusal.
     */
    public void notice(io.parley.envelope.WithheldNotice n, Rejection reason, boolean signatureVerified, String remote) {
        if (signatureVerified) {
            count(reason);
            envelopes.recordRejection(RejectionRecord.verified(clock.instant(), remote, n.channel(), n.from(), n.seq(), reason.code(), reason.detail(),
                    n.canonical()));
        } else {
            unverified(n.channel(), n.from(), n.seq(), reason, n.sig() == null ? n.toJson().toString().getBytes(StandardCharsets.UTF_8)
                    : n.canonical().getBytes(StandardCharsets.UTF_8), remote);
        }
    }

    private void count(Rejection reason) {
        counters.getOrDefault(reason.code(), counters.get(OTHER)).increment();
    }
}
