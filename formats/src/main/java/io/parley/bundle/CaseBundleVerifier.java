package io.parley.bundle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.charter.CharterAction;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.identity.CanonicalBase64;
import io.parley.identity.PartyCard;
import io.parley.identity.VerifierKey;
import io.parley.json.Jcs;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.LoggedAt;

/**
 * Checks a case bundle offline: no network, no database, only the bundle. Each check is reported; the bundle holds
 * only if every check holds. Keys come from the party cards in the bundle; a reader should compare their fingerprints
 * (printed) with the parties out of band.
 *
 * <p>The checks run in a fixed order, each trusting only what an earlier one verified: the party cards, the charter
 * and the member keys it names, the exporter's signature, the charter signatures, the envelopes and their senders'
 * chains ({@link ChainChecks}), the exporter's log and the recipients' receipts ({@link LogChecks}), and last the case
 * timeline recomputed from the envelopes.
 */
public final class CaseBundleVerifier {
    /** The {@code format} member of every bundle this verifier reads. */
    public static final String FORMAT = "parley-case-bundle/v1";

    /** One check and its outcome. */
    public record Check(String name, boolean ok, String detail) {}

    /**
     * All checks, plus the recomputed timeline when the envelopes allowed computing one, and the findings about
     * silence: a {@code silent:} line per missed deadline the bundle proves nothing was sent for, a {@code silence not
     * provable:} line per one it does not ({@link SilenceChecks}).
     */
    public record Report(List<Check> checks, CaseTimeline timeline, Instant evaluatedAt, List<String> findings) {
        public Report(List<Check> checks, CaseTimeline timeline, Instant evaluatedAt) {
            this(checks, timeline, evaluatedAt, List.of());
        }

        public boolean valid() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
        }
    }

    private final Checks checks = new Checks();

    private CaseBundleVerifier() {}

    public static Report verify(JsonNode bundle) {
        return new CaseBundleVerifier().run(bundle);
    }

    private Report run(JsonNode b) {
        try {
            return runChecked(b);
        } catch (RuntimeException e) {
            checks.add("bundle structure", false, "cannot read the bundle: " + e.getMessage());
            return new Report(checks.list(), null, null);
        }
    }

    private Report runChecked(JsonNode b) {
        if (!b.isObject() || !FORMAT.equals(b.path("format").asText())) {
            checks.add("format", false, "not a " + FORMAT + " bundle");
            return new Report(checks.list(), null, null);
        }
        String caseId = b.path("case").asText();
        String channel = b.path("channel").asText();
        String exporter = b.path("exported_by").asText();
        Instant exportedAt = Instant.parse(b.path("exported_at").asText());

        Map<String, PartyCard> cards = partyCards(b.path("parties"));
        Charter charter = charter(b.path("charter"), channel);
        Map<String, VerifierKey> keys = memberKeys(charter, cards);
        bundleSignature((ObjectNode) b, exporter, cards);
        Map<String, Envelope> byHash = charterSignatures(b.path("charter_envelopes"), channel, charter, keys);

        ChainChecks.Chains chains = new ChainChecks(checks, channel, charter, keys).check(b);
        chains.envelopes().forEach(e -> byHash.put(e.hash(), e));

        LogChecks logs = new LogChecks(checks, keys, cards.values());
        JsonNode ownLog = b.path("logs").path(exporter);
        var checkpoints = logs.checkpoints(ownLog, exporter);
        logs.consistency(ownLog, checkpoints);
        logs.inclusions(ownLog, exporter, checkpoints, byHash, chains.noticeHashes());
        Set<String> delivered = logs.receipts(b.path("receipts"), exporter, byHash);
        Map<String, LoggedAt> loggedAt = LogTimeChecks.check(checks, b.path("log_times"), keys, byHash);

        Optional<CaseTimeline> timeline = timeline(b, caseId, charter, byHash.values(), loggedAt, exportedAt);
        timeline.ifPresent(t -> deadlines(t, exportedAt));
        timeline.ifPresent(t -> new StatementChecks(checks).check(b, t, charter, byHash.values()));
        List<String> findings = timeline.map(t -> new SilenceChecks(checks, keys, cards.values(), exporter).check(b, t, byHash, exportedAt, delivered))
                .orElse(List.of());
        // nothing in a bundle that fails is proven, a silence least of all
        if (checks.list().stream().anyMatch(c -> !c.ok())) findings = List.of();
        return new Report(checks.list(), timeline.orElse(null), exportedAt, findings);
    }

    /** The party cards that are self-signed, by origin; their fingerprints are printed for comparison out of band. */
    private Map<String, PartyCard> partyCards(JsonNode parties) {
        Map<String, PartyCard> cards = new TreeMap<>();
        for (JsonNode c : parties) {
            PartyCard card = PartyCard.fromJson(c);
            boolean ok = card.verifies();
            checks.add("party card " + card.origin(), ok, ok ? "self-signed by " + card.fingerprint() + " (compare out of band)" : "card signature does not verify");
            if (ok) cards.put(card.origin(), card);
        }
        return cards;
    }

    /** The charter, which must be for the bundle's channel. */
    private Charter charter(JsonNode json, String channel) {
        Charter charter = Charter.fromJson(json);
        checks.add("charter", charter.channel().equals(channel), "channel " + charter.channel() + ", " + charter.members().size() + " members, level "
                + charter.level().wire() + ", TLP ceiling " + charter.tlpCeiling().wire() + ", hash " + charter.hash());
        return charter;
    }

    /**
     * The key each member's envelopes verify under: the charter's, or the key the member's card was rotated to with a
     * hand-over signature by the charter's key. A member whose card does not vouch for its key fails.
     */
    private Map<String, VerifierKey> memberKeys(Charter charter, Map<String, PartyCard> cards) {
        Map<String, VerifierKey> keys = new LinkedHashMap<>();
        for (Charter.Member m : charter.members()) {
            PartyCard card = cards.get(m.origin());
            VerifierKey key = m.key();
            if (card == null) {
                checks.add("member " + m.origin(), false, "no verified party card for this member");
            } else if (card.verifierKey().equals(m.key())) {
                checks.add("member " + m.origin(), true, "card key matches the charter");
            } else if (card.rotatedFrom(m.key())) {
                key = card.verifierKey();
                checks.add("member " + m.origin(), true, "key rotated from the charter key, hand-over signature verifies");
            } else {
                checks.add("member " + m.origin(), false, "card key is neither the charter key nor handed over by it");
            }
            keys.put(m.origin(), key);
        }
        return keys;
    }

    /** The exporter's signature over the RFC 8785 form of the whole bundle without its {@code sig}. */
    private void bundleSignature(ObjectNode b, String exporter, Map<String, PartyCard> cards) {
        ObjectNode unsigned = b.deepCopy();
        unsigned.remove("sig");
        boolean ok = cards.containsKey(exporter) && verifySig(cards.get(exporter).verifierKey(), Jcs.canonicalize(unsigned), b.path("sig").asText());
        checks.add("bundle signature", ok, ok ? "signed by the exporter " + exporter : "the bundle is not signed by " + exporter + " as exported");
    }

    /** Every member signed the terms in force; returns the charter envelopes by hash (logged like any envelope). */
    private Map<String, Envelope> charterSignatures(JsonNode array, String channel, Charter charter, Map<String, VerifierKey> keys) {
        String charterHash = charter.hash();
        Set<String> signers = new HashSet<>();
        Map<String, Envelope> byHash = new LinkedHashMap<>();
        for (JsonNode j : array) {
            Envelope e = Envelope.fromJson(j);
            VerifierKey k = keys.get(e.from());
            boolean ok = k != null && EnvelopeSigner.verify(e, k) && e.channel().equals(channel) && CharterAction.signs(e, charterHash);
            checks.add("charter signature of " + e.from(), ok, ok ? "signs charter " + charterHash.substring(0, 16) + "..." : "does not verify or signs other terms");
            if (ok) signers.add(e.from());
            byHash.put(e.hash(), e);
        }
        checks.add("charter signature order", Ordering.strictlyIncreasing(array, j -> Ordering.bySenderAndSeq(j.path("from").asText(), j.path("seq").asLong())),
                "by member and seq, as the format prescribes");
        List<String> missing = charter.members().stream().map(Charter.Member::origin).filter(o -> !signers.contains(o)).toList();
        checks.add("charter signed by all members", missing.isEmpty(), missing.isEmpty() ? "every member signed the terms in force" : "signatures missing from " + missing);
        return byHash;
    }

    /** The timeline recomputed from the case's envelopes, evaluated at the export time, must be the bundle's. */
    private Optional<CaseTimeline> timeline(JsonNode b, String caseId, Charter charter, Iterable<Envelope> envelopes,
                                            Map<String, LoggedAt> loggedAt, Instant exportedAt) {
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (Envelope e : envelopes) if (caseId.equals(e.caseId())) items.add(new CaseTimeline.Item(e, e.hash()));
        Optional<CaseTimeline> timeline = CaseTimeline.of(caseId, items, charter, loggedAt);
        // evaluated at the export time, so the statuses (met, missed, pending) must match too
        boolean matches = timeline.isPresent() && b.has("timeline") && TimelineJson.of(timeline.get(), exportedAt).equals(b.path("timeline"));
        checks.add("case timeline", matches, matches ? "recomputed from the envelopes; matches the exporter's, statuses as of " + exportedAt
                : "the recomputed timeline differs from the bundle's");
        return timeline;
    }

    /** What the recomputed timeline says of each deadline: reported, not judged (a missed deadline is a finding). */
    private void deadlines(CaseTimeline t, Instant exportedAt) {
        if (t.exercise()) {
            checks.add("exercise", true, "[EXERCISE] the opener's signed opening " + t.openingHash().substring(0, 16)
                    + "... marks this case an exercise: its deadlines are a drill, not real responsiveness");
        }
        for (var f : t.clockFindings()) {
            checks.add("clock of " + f.sender(), true, f.direction().wire() + ": envelope " + Checks.abbreviate(f.envelope()) + " says created "
                    + f.created() + ", logged by " + f.logged().by() + " at " + f.logged().at() + "; counts at its log time");
        }
        for (var e : t.events()) {
            for (var x : e.translations()) {
                checks.add("courtesy translation", true, "[" + x.lang() + "] by " + x.by() + " of " + Checks.abbreviate(e.hash()) + " (from " + e.from()
                        + "), signed " + x.at() + ": not authoritative, the original stands");
            }
        }
        checks.add("acknowledgement deadline", true, t.ackStatus(exportedAt).wire() + " (due " + t.ackDue()
                + (t.ackedAt() != null ? ", acknowledged " + t.ackedAt() + " by " + t.ackedBy() : ", not acknowledged") + ")");
        if (t.needsAnswer()) {
            checks.add("answer deadline", true, t.answerStatus(exportedAt).wire() + " (due " + t.answerDue()
                    + (t.answeredAt() != null ? ", answered " + t.answeredAt() + " by " + t.answeredBy() : ", not answered") + ")");
        }
        io.parley.timeline.PreservationHold h = t.norms().hold();
        if (h != null) {
            checks.add("preservation hold", true, h.state(exportedAt).wire() + " as of " + exportedAt + " (" + h.days() + " days, until " + h.until()
                    + (h.extensions().isEmpty() ? "" : ", extended " + h.extensions().size() + " time(s) by " + t.openedBy())
                    + (h.releasedAt() != null ? ", released " + h.releasedAt() : "") + ")");
        }
        decisions(t, exportedAt);
    }

    /**
     * Each party's answer decision, recomputed from its signed acks (the "case timeline" check compared it with the
     * exporter's): one line per party that decided, and one per decision that counts for nothing, with why.
     */
    private void decisions(CaseTimeline t, Instant exportedAt) {
        for (CaseTimeline.Response r : t.responses().values()) {
            if (r.decision() != null && !r.decision().implicit()) {
                checks.add("decision of " + r.party(), true, r.decision().describe() + " at " + r.decision().at() + (t.needsAnswer()
                        ? "; answer " + t.answerStatusOf(r.party(), exportedAt).wire() + (r.declined() ? "" : " (due " + r.answerDue() + ")") : ""));
            }
            for (String why : r.ignored()) checks.add("ignored decision of " + r.party(), true, "counts for nothing: " + why);
        }
    }

    private static boolean verifySig(VerifierKey key, byte[] message, String b64) {
        byte[] sig = CanonicalBase64.decode(b64);
        return sig != null && key.verify(message, sig);
    }
}
