package io.parley.cases;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.receipt.LogTime;
import io.parley.store.OutboxStore;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.LoggedAt;

/**
 * The recipients' log times this node holds for a case's envelopes (time honesty): for an envelope another member
 * sent, the time this node stored it; for one this node sent, each recipient's signed log time from the receipt it
 * returned (verified on delivery). A sender's own log time is never used: it is no evidence of when it sent.
 *
 * <p>One source for the node's timeline and for the bundle, which carries these as signed statements so the offline
 * verifier recomputes the same timeline ({@link io.parley.bundle.CaseBundleVerifier}).
 */
public final class LogTimes {
    private LogTimes() {}

    /** The statements for {@code envelopes}, in the bundle's order (envelope hash, then log); ours signed if {@code sign}. */
    public static List<LogTime> statements(Node node, List<StoredEnvelope> envelopes, boolean sign) {
        OutboxStore outbox = new OutboxStore(node.db());
        List<LogTime> out = new ArrayList<>();
        for (StoredEnvelope s : envelopes) {
            if (!s.envelope().from().equals(node.origin())) {
                out.add(sign ? LogTime.sign(node.key(), node.origin(), s.hash(), s.receivedAt())
                        : new LogTime(node.origin(), s.hash(), s.receivedAt(), null));
                continue;
            }
            for (OutboxStore.Status st : outbox.forEnvelope(s.hash())) {
                if (st.receipt() == null) continue;
                var receipt = Json.parse(st.receipt());
                if (!receipt.has("logged")) continue; // a receipt from a node that gives no log time
                LogTime t = LogTime.fromJson(receipt.get("logged"));
                if (t.log().equals(st.recipient()) && t.envelope().equals(s.hash())) out.add(t);
            }
        }
        out.sort(Comparator.comparing(LogTime::envelope).thenComparing(LogTime::log));
        return out;
    }

    /** The earliest recipient log time of each of {@code envelopes}, by hash, for {@link io.parley.timeline.CaseTimeline#of}. */
    public static Map<String, LoggedAt> of(Node node, List<StoredEnvelope> envelopes) {
        return earliest(statements(node, envelopes, false));
    }

    public static Map<String, LoggedAt> earliest(List<LogTime> statements) {
        Map<String, LoggedAt> out = new TreeMap<>();
        for (LogTime t : statements) LoggedAt.keepEarliest(out, t.envelope(), new LoggedAt(t.log(), t.loggedAt()));
        return out;
    }
}
