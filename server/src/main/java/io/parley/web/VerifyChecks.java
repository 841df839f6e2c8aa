package io.parley.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.parley.bundle.CaseBundleVerifier;
import io.parley.web.i18n.Texts;

/**
 * The checks of {@link CaseBundleVerifier} (the very checks {@code parley verify} runs and prints) grouped and named in
 * the reader's language. The verifier names each check in English, "kind subject" (e.g. {@code hash chain of
 * cert-a.example}); this class maps each kind to a group and a bundle key ({@code verify.check.<kind>}, with the
 * subject as {0} where there is one). A check of a kind not listed here (a verifier newer than this table) still
 * shows, under "Other checks", with its English line: nothing the verifier says is ever dropped.
 */
final class VerifyChecks {
    /** Groups in the order the page shows them (the verifier's own order: each trusts only what an earlier one verified). */
    static final List<String> GROUPS = List.of("structure", "parties", "charter", "signatures", "chains", "log", "receipts", "clock",
            "timeline", "silence", "statements", "other");

    /**
     * A check kind: the prefix of the verifier's check name, its group, its key, whether a subject follows the prefix,
     * and the English word that splits the subject in two arguments ({0} and {1}; null: one argument).
     */
    private record Kind(String prefix, String group, String key, boolean subject, String split) {
        Kind(String prefix, String group, String key, boolean subject) {
            this(prefix, group, key, subject, null);
        }

        /** The arguments of a check named {@code name}: the subject, split where the English puts a word between its parts. */
        Object[] args(String name) {
            String rest = name.substring(prefix.length());
            if (rest.endsWith("'s log")) rest = rest.substring(0, rest.length() - "'s log".length());
            if (split == null) return new Object[] {rest};
            int at = rest.indexOf(split);
            return at < 0 ? new Object[] {rest, ""} : new Object[] {rest.substring(0, at), rest.substring(at + split.length())};
        }
    }

    /** Longest prefixes first where one prefix starts another ("withheld notice order" before "withheld notice "). */
    private static final List<Kind> KINDS = List.of(
            exact("bundle structure", "structure", "structure"),
            exact("format", "structure", "format"),
            prefixed("party card ", "parties", "partyCard"),
            prefixed("member ", "parties", "member"),
            exact("charter signature order", "charter", "charterOrder"),
            prefixed("charter signature of ", "charter", "charterSignature"),
            exact("charter signed by all members", "charter", "charterAllSigned"),
            exact("charter", "charter", "charter"),
            exact("bundle signature", "signatures", "bundleSignature"),
            exact("envelope signatures", "signatures", "envelopeSignatures"),
            exact("envelope order", "signatures", "envelopeOrder"),
            prefixed("envelope ", "signatures", "envelope"),
            exact("withheld notice order", "signatures", "noticeOrder"),
            prefixed("withheld notice ", "signatures", "notice"),
            exact("withheld notice", "signatures", "noticeMalformed"),
            exact("segments", "chains", "segments"),
            prefixed("hash chain of ", "chains", "chain"),
            prefixed("witness key of ", "log", "witnessKey"),
            prefixed("checkpoints of ", "log", "checkpoints"),
            prefixed("checkpoint of ", "log", "checkpointOf"),
            new Kind("checkpoint ", "log", "checkpoint", true, " of "),
            prefixed("consistency ", "log", "consistency"),
            exact("inclusion order", "log", "inclusionOrder"),
            prefixed("inclusion of ", "log", "inclusionOf"),
            prefixed("inclusion in ", "log", "inclusionIn"),
            exact("receipt order", "receipts", "receiptOrder"),
            new Kind("receipt from ", "receipts", "receipt", true, " for "),
            exact("receipts", "receipts", "receipts"),
            exact("log times", "clock", "logTimes"),
            new Kind("log time ", "clock", "logTime", true, " for "),
            prefixed("clock of ", "clock", "clock"),
            exact("case timeline", "timeline", "timeline"),
            exact("exercise", "timeline", "exercise"),
            exact("acknowledgement deadline", "timeline", "ackDeadline"),
            exact("answer deadline", "timeline", "answerDeadline"),
            exact("preservation hold", "timeline", "hold"),
            exact("courtesy translation", "timeline", "courtesyTranslation"),
            prefixed("ignored decision of ", "timeline", "ignoredDecision"),
            prefixed("decision of ", "timeline", "decision"),
            exact("silence order", "silence", "silenceOrder"),
            prefixed("silence of ", "silence", "silence"),
            exact("statements", "statements", "statements"),
            exact("statement", "statements", "statement"));

    private static Kind exact(String name, String group, String key) {
        return new Kind(name, group, key, false);
    }

    private static Kind prefixed(String prefix, String group, String key) {
        return new Kind(prefix, group, key, true);
    }

    private VerifyChecks() {}

    /** Every bundle key a check can be shown with, for the test that each has a text. */
    static List<String> keys() {
        List<String> out = new ArrayList<>();
        KINDS.forEach(k -> out.add("verify.check." + k.key()));
        out.add("verify.check.other");
        return out;
    }

    /** The key of {@code checkName}'s kind (verify.check.other when the table does not know it), for tests. */
    static String keyOf(String checkName) {
        return "verify.check." + kindOf(checkName).key();
    }

    private static Kind kindOf(String name) {
        for (Kind k : KINDS) {
            if (k.subject() ? name.startsWith(k.prefix()) && name.length() > k.prefix().length() : name.equals(k.prefix())) return k;
        }
        return new Kind("", "other", "other", false, null);
    }

    /** The report's checks, grouped in {@link #GROUPS} order (empty groups left out), each line named in {@code t}'s language. */
    static List<VerifyView.Group> group(CaseBundleVerifier.Report report, Texts t) {
        Map<String, List<VerifyView.Line>> byGroup = new LinkedHashMap<>();
        GROUPS.forEach(g -> byGroup.put(g, new ArrayList<>()));
        for (CaseBundleVerifier.Check c : report.checks()) {
            Kind k = kindOf(c.name());
            String label = k.key().equals("other") ? c.name()
                    : k.subject() ? t.t("verify.check." + k.key(), k.args(c.name())) : t.t("verify.check." + k.key());
            // the verifier's own line, as `parley verify` prints it: English, stable, what to quote to the other side
            byGroup.get(k.group()).add(new VerifyView.Line(c.ok(), label, c.name() + ": " + c.detail()));
        }
        List<VerifyView.Group> out = new ArrayList<>();
        byGroup.forEach((g, lines) -> {
            if (lines.isEmpty()) return;
            lines.sort(java.util.Comparator.comparing(VerifyView.Line::ok)); // failures first, each part in the verifier's order
            int failed = (int) lines.stream().filter(l -> !l.ok()).count();
            out.add(new VerifyView.Group(g, t.t("verify.group." + g), t.t("verify.group." + g + ".about"), lines.size() - failed, failed, lines));
        });
        return out;
    }
}
