package io.parley.timeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.identity.Sha256;

/**
 * A joint statement on a finished case: one party proposes a text, the others co-sign it, each by a signed
 * {@code update} envelope of the case, so it is chained, logged and exported like every other step. Pure, like
 * {@link CaseTimeline}: the node, the bundle and the offline verifier compute the same statements from the same
 * envelopes.
 *
 * <p>Wire: a proposal is an {@code update} whose body is {@code {"statement": {"propose": {"text", "lang",
 * "translations": [{"lang", "text"}]}}}}; the text in {@code lang} is authoritative, translations are courtesy copies
 * and are never authoritative. Its id is the proposal envelope's hash. A co-signature is an {@code update} whose body
 * is {@code {"statement": {"cosign": <proposal hash>, "text_sha256": <SHA-256 hex of the text's UTF-8>}}}: naming the
 * proposal's hash signs the whole proposal (translations included), and the text hash lets anyone holding the text
 * and the co-signature alone see which words were signed.
 *
 * <p>Rules: a proposal counts only if it is created at or after the case's close (or retraction) and comes from a
 * party of the case. The parties are those who hold the case: every member of the channel, or for a TLP:RED case its
 * opener and the recipients its opening names. A statement is <em>complete</em> when every party has signed it: the
 * proposer by proposing, each other party by a co-signature naming it with the right text hash (a bilateral statement
 * needs both sides, a channel statement all members: nobody is quoted without their signature). A co-signature by a
 * non-party, or naming a proposal that does not count, counts for nothing. A co-signature that names a counted
 * proposal with a <em>different</em> text hash is a party contradicting the words it signs for: it counts for nothing
 * and is kept as a {@link #faults() fault}, which the offline verifier reports beside the statement.
 */
public record JointStatement(String id, String proposedBy, Instant proposedAt, String text, String lang,
                             List<Translation> translations, String textSha256, Set<String> parties,
                             Map<String, Signature> signatures, List<String> faults) {

    /** A courtesy translation: never authoritative. */
    public record Translation(String lang, String text) {}

    /** One party's signature on the statement: its proposal or co-signature envelope. */
    public record Signature(String party, String envelopeHash, Instant at) {}

    public static final int MAX_TEXT = 10_000;
    public static final int MAX_TRANSLATIONS = 8;
    private static final Pattern LANG = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public JointStatement {
        translations = List.copyOf(translations);
        parties = Set.copyOf(new TreeSet<>(parties));
        faults = List.copyOf(faults);
        signatures = java.util.Collections.unmodifiableMap(new TreeMap<>(signatures));
    }

    /** Parties who have not signed yet, sorted. */
    public List<String> pending() {
        return new TreeSet<>(parties).stream().filter(p -> !signatures.containsKey(p)).toList();
    }

    public boolean complete() {
        return pending().isEmpty();
    }

    /** The signers in the order they signed (the proposer first). */
    public List<String> signers() {
        return signatures.values().stream().sorted(Comparator.comparing(Signature::at).thenComparing(Signature::party))
                .map(Signature::party).toList();
    }

    /** SHA-256 hex of the text's UTF-8: what a co-signature names besides the proposal. */
    public static String textHash(String text) {
        return Sha256.hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code lang} is a language tag a statement may carry. */
    public static boolean validLang(String lang) {
        return lang != null && LANG.matcher(lang).matches();
    }

    /** Whether {@code body} is a statement proposal or co-signature (counted or not). */
    public static boolean isStatementStep(Envelope e) {
        return e.kind() == Kind.UPDATE && e.body().path("statement").isObject();
    }

    /**
     * The parties of a case: every member of the channel, or for a TLP:RED case its opener and the members its
     * opening names as recipients.
     */
    public static Set<String> parties(CaseTimeline t, List<CaseTimeline.Item> items, Charter charter) {
        Set<String> members = new TreeSet<>();
        charter.members().forEach(m -> members.add(m.origin()));
        if (t.tlp() != Tlp.RED) return members;
        Set<String> out = new TreeSet<>();
        out.add(t.openedBy());
        items.stream().filter(i -> i.hash().equals(t.openingHash())).findFirst().ifPresent(i -> {
            JsonNode named = i.envelope().body().get("recipients");
            if (named != null && named.isArray()) named.forEach(r -> out.add(r.asText()));
        });
        out.retainAll(members);
        return out;
    }

    /** The statements of case {@code t}, in the order they were proposed. */
    public static List<JointStatement> of(CaseTimeline t, List<CaseTimeline.Item> items, Charter charter) {
        if (!t.state().finished() || t.closedAt() == null) return List.of();
        Set<String> parties = parties(t, items, charter);
        List<CaseTimeline.Item> steps = items.stream()
                .filter(i -> i.envelope().channel().equals(charter.channel()) && t.caseId().equals(i.envelope().caseId()) && isStatementStep(i.envelope()))
                .sorted(Comparator.comparing((CaseTimeline.Item i) -> i.envelope().createdAt()).thenComparing(i -> i.envelope().from())
                        .thenComparingLong(i -> i.envelope().seq()))
                .toList();
        Map<String, Builder> byId = new LinkedHashMap<>();
        for (CaseTimeline.Item i : steps) {
            Envelope e = i.envelope();
            if (e.createdAt().isBefore(t.closedAt()) || !parties.contains(e.from())) continue;
            proposal(e.body().path("statement").path("propose")).ifPresent(p -> byId.put(i.hash(), new Builder(i.hash(), e, p)));
        }
        for (CaseTimeline.Item i : steps) {
            Envelope e = i.envelope();
            JsonNode cosign = e.body().path("statement");
            Builder b = byId.get(cosign.path("cosign").asText(""));
            if (b == null || !parties.contains(e.from()) || e.from().equals(b.proposal.from())) continue;
            String named = cosign.path("text_sha256").asText("");
            if (!named.equals(b.textSha256)) {
                b.faults.add("the co-signature " + i.hash() + " by " + e.from() + " names text hash " + (HEX64.matcher(named).matches() ? named : "(none)")
                        + ", not the proposal's " + b.textSha256);
                continue;
            }
            b.signatures.putIfAbsent(e.from(), new Signature(e.from(), i.hash(), e.createdAt()));
        }
        return byId.values().stream().map(b -> b.build(parties)).toList();
    }

    /** A proposal body's fields, when well formed. */
    private record Proposal(String text, String lang, List<Translation> translations) {}

    private static Optional<Proposal> proposal(JsonNode p) {
        if (!p.isObject() || !p.path("text").isTextual() || p.get("text").textValue().isBlank() || p.get("text").textValue().length() > MAX_TEXT) return Optional.empty();
        String lang = p.path("lang").asText(null);
        if (!validLang(lang)) return Optional.empty();
        List<Translation> translations = new ArrayList<>();
        JsonNode ts = p.get("translations");
        if (ts != null) {
            if (!ts.isArray() || ts.size() > MAX_TRANSLATIONS) return Optional.empty();
            for (JsonNode x : ts) {
                if (!x.path("text").isTextual() || x.get("text").textValue().length() > MAX_TEXT || !validLang(x.path("lang").asText(null))) return Optional.empty();
                translations.add(new Translation(x.get("lang").textValue(), x.get("text").textValue()));
            }
        }
        return Optional.of(new Proposal(p.get("text").textValue(), lang, translations));
    }

    private static final class Builder {
        final String id;
        final Envelope proposal;
        final Proposal p;
        final String textSha256;
        final Map<String, Signature> signatures = new TreeMap<>();
        final List<String> faults = new ArrayList<>();

        Builder(String id, Envelope proposal, Proposal p) {
            this.id = id;
            this.proposal = proposal;
            this.p = p;
            this.textSha256 = textHash(p.text());
            signatures.put(proposal.from(), new Signature(proposal.from(), id, proposal.createdAt()));
        }

        JointStatement build(Set<String> parties) {
            return new JointStatement(id, proposal.from(), proposal.createdAt(), p.text(), p.lang(), p.translations(), textSha256, parties,
                    signatures, faults);
        }
    }
}
