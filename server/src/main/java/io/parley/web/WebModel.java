package io.parley.web;

import java.util.List;

import io.parley.envelope.Tlp;

/** What the templates show: plain, already formatted values, built by {@link Pages} from the node's services. */
public final class WebModel {
    private WebModel() {}

    /** The frame of every page: who is signed in on which node, and the token its forms carry. */
    public record Layout(String title, String user, String origin, String displayName, String fingerprint, String csrf,
                         String now, String section, int refreshSeconds, String notice, boolean noticeIsError,
                         io.parley.web.i18n.Texts texts, List<io.parley.web.i18n.LanguageChoice.Link> languages, boolean admin) {
        public boolean signedIn() {
            return user != null;
        }

        /** The text of {@code key} in the reader's language (see {@link io.parley.web.i18n.Texts#t}). */
        public String t(String key, Object... args) {
            return texts.t(key, args);
        }

        public io.parley.web.i18n.Lang lang() {
            return texts.lang();
        }

        /** This page again, in this language, without a one-off notice: the desk's Refresh link. */
        public String selfHref() {
            return languages.stream().filter(io.parley.web.i18n.LanguageChoice.Link::current).findFirst()
                    .map(io.parley.web.i18n.LanguageChoice.Link::href).orElse("/");
        }
    }

    /** A party as the UI shows it everywhere: origin, name, and the key fingerprint to compare out of band. */
    public record Party(String origin, String displayName, String fingerprint, boolean self) {}

    /** A deadline and where it stands: urgency is overdue, soon, pending, met, missed or none. */
    public record Deadline(String label, String due, String dueIso, String relative, String status, String urgency) {
        public boolean applies() {
            return !"none".equals(urgency);
        }
    }

    /** A case in a list. urgency: overdue, soon, owed (we owe a response), open, done. */
    public record CaseRow(String id, String summary, String kind, String requestType, String priority, Tlp tlp, String state,
                          String channel, Party openedBy, String openedAt, Deadline ack, Deadline answer, String urgency, boolean owedByUs,
                          boolean exercise) {
        public String href() {
            return Fmt.caseHref(id, channel, null);
        }

        /** The case's evidence page: its STIX objects, their correlations and downloads. */
        public String evidenceHref() {
            return "/cases/" + Fmt.path(id) + "/evidence?channel=" + Fmt.path(channel);
        }

        /** The case's signed evidence bundle, to download and check with {@code parley verify} or on /verify. */
        public String bundleHref() {
            return EvidencePages.bundleHref(id, channel);
        }
    }

    /**
     * A channel in a list. pendingHash: the SHA-256 of the terms awaiting signatures, which the sign form sends back so
     * that terms swapped in after the page was shown are not signed; signBlocked: why this node cannot sign them yet.
     */
    public record ChannelRow(String id, String title, String level, String state, Tlp tlpCeiling, List<Party> members,
                             boolean pending, boolean amendment, List<Party> signed, List<Party> awaiting, boolean canSign,
                             String pendingHash, String signBlocked) {}

    public record PeerRow(Party party, String baseUrl, String flagged, String line, String lastSuccess, String lastSuccessRelative,
                          String downSince, String currentOutage, String totalDowntime, String lastFailure, long queued, long failed) {}

    public record LogInfo(long size, String checkpointAt, List<String> cosigners, String newestCosigned, long queued, long envelopes,
                          int equivocations, int witnessConflicts) {
        public boolean cosigned() {
            return !cosigners.isEmpty();
        }
    }

    public record Dashboard(Layout layout, Party self, String baseUrl, List<CaseRow> attention, int moreAttention, List<CaseRow> finished,
                            List<ChannelRow> channels, List<PeerRow> peers, LogInfo log, int overdue, int dueSoon, int owed,
                            List<ContactLine> contacts) {}

    /** A member overdue (or, for ourselves, due soon) in re-confirming its points of contact in a channel. */
    public record ContactLine(Party party, String channel, String due, boolean overdue, boolean self) {}

    /** A scheduled ping exercise of a channel, with its next slot and whose turn that is. */
    public record PingSchedule(String describe, String next, String turn) {}

    /**
     * A field of a case's opening message. lang: null for a structured value (already in the reader's words); else the
     * sender's own words, shown as written with the body's language tag ("" when it gave none).
     */
    public record Field(String label, String value, boolean multiline, String lang) {}

    public record Delivery(String recipient, String state, String detail) {}

    /**
     * A message in a case's timeline. lang: non-null when text is the sender's own words (as written, with its language
     * tag, "" when it gave none); null when text is the page's own words. decision: an ack's decision in the reader's
     * words, or null.
     */
    public record Entry(String at, String atIso, Party from, String kind, Tlp tlp, String priority, String text, String lang, String hash,
                        String receivedAt, List<Delivery> deliveries, String clock, String decision) {}

    public record Response(Party party, String ackedAt, Deadline ack, String answeredAt, Deadline answer, Decided decided, List<String> ignored) {}

    /**
     * A party's answer decision as the case page shows it: the choice, its reason code and what the code means, the
     * free-text reason as its sender wrote it with its language tag (the original, never a translation), the time
     * it put its answer off to, and when it decided.
     */
    public record Decided(String choice, String code, String codeLabel, String reason, String lang, String until, String at) {}

    public record Escalation(String at, Party from, String deadline, String rung, String role, String contact, String due) {}

    /** A button on the case page: the action's path segment, its label, and whether it needs care (close, retract). */
    public record Action(String name, String label, boolean danger) {}

    public record CasePage(Layout layout, CaseRow c, String channelTitle, List<Field> fields, List<Response> responses, List<Entry> timeline,
                           List<Escalation> escalations, List<Action> actions, boolean member, NormsView.Case norms, Statements statements,
                           List<Retraction> retractions, TranslationsView translations, String summaryLang) {}

    /** Evidence withdrawn in a case: by whom, when, what (one bundle or all it shared in the case), by which signed retract. */
    public record Retraction(Party by, String at, String scope, String evidence, int objects, String retract) {}

    /** The case page's joint statements: whether this node may propose one, and each proposal with its signatures. */
    public record Statements(boolean canPropose, String whyNot, List<Statement> list) {}

    /** One joint statement as the co-sign button shows it: the exact text signed, and who has and has not signed. */
    public record Statement(String id, Party proposedBy, String proposedAt, String lang, String text, List<Translation> translations,
                            String textSha256, List<String> signers, List<String> pending, boolean complete, boolean canCosign) {}

    /** A courtesy translation of a statement: never authoritative. */
    public record Translation(String lang, String text) {}

    public record Term(String priority, String ack, String answer) {}

    public record Rung(int index, String after, String role, String contact) {}

    public record Member(Party party, String charterFingerprint, boolean signedCurrent, String baseUrl) {}

    public record ReportRow(Party party, int cases, int requests, String ackOnTime, int ackMissed, String answerOnTime, int answerMissed,
                            String medianAck, String p90Ack, String medianAnswer, String p90Answer, int pingTests, int pingsFailed,
                            int outages, String downtime, String decisions, int clockFindings) {}

    public record ChannelPage(Layout layout, ChannelRow channel, List<Term> terms, List<Rung> ladder, List<Member> members,
                              List<Term> pendingTerms, String pendingCeiling, List<CaseRow> cases, List<ReportRow> report, String reportFrom,
                              String reportTo, String csvHref, boolean member, List<NormsView.Commitment> commitments, NormsView.Report normsReport,
                              List<ReportRow> exerciseReport, List<PingSchedule> pingExercises, String contactsEvery, List<ContactLine> contacts) {}

    /** The values of the new-case form, kept when it is shown again with an error. */
    public record CaseForm(String kind, String priority, String tlp, String type, String summary, String asked, String sectors,
                           String systems, String windowFrom, String windowTo, String indicators, String legalBasis, String text, String lang,
                           String recipients, String category, String disarmTechnique, List<String> commitments, String holdDays, String data,
                           String identifiers) {
        /** An empty form; the free text's language is the reader's until the officer picks another. */
        public static CaseForm blank(Tlp defaultTlp, String lang) {
            return new CaseForm("request", "routine", defaultTlp.wire(), "", "", "", "", "", "", "", "", "", "", lang, "", "", "", List.of(), "", "", "");
        }
    }

    public record Option(String value, String label) {}

    public record NewCase(Layout layout, String channel, String channelTitle, Tlp ceiling, List<Option> tlps, List<Option> priorities,
                          List<Option> types, CaseForm form, String error, String errorField, List<Option> categories,
                          List<NormsView.Commitment> commitments) {}

    /** The admin's accounts page: every account with its role, channel grants and state. */
    public record Users(Layout layout, List<io.parley.store.UserStore.Account> accounts) {}

    /**
     * The audit page: records newest first, the trail's verification, the filter as given, and the link to the next
     * older page (null on the last).
     */
    public record Audit(Layout layout, List<io.parley.audit.AuditRecord> records, io.parley.audit.AuditVerifier.Result verification,
                        String actor, String action, List<String> actions, String olderHref, boolean paged) {}

    public record Error(Layout layout, int status, String heading, String message, String back) {}

    /** The sign-in forms: the name typed so far, and the local page to go to afterwards (or null). */
    public record SignIn(Layout layout, String user, String next) {}

    /**
     * The account page. pendingSecret/qrSvg/uri: a second factor awaiting confirmation (else null); recoveryCodes: shown
     * once, right after confirmation (else null).
     */
    public record Account(Layout layout, String role, boolean enrolled, boolean required, String pendingSecret, String qrSvg, String uri,
                          long recoveryCodesLeft, List<String> recoveryCodes, boolean mayIssueTokens, List<TokenRow> tokens, NewToken newToken,
                          List<LanguageOption> languages) {
        public boolean pending() {
            return pendingSecret != null;
        }

        /** The base32 secret in groups of four, easier to type. */
        public String groupedSecret() {
            return pendingSecret == null ? null : pendingSecret.replaceAll("(.{4})(?!$)", "$1 ");
        }
    }

    /** One of the desk's languages in the account page's select: its code, its name in itself, whether it is the one in use. */
    public record LanguageOption(String code, String name, boolean selected) {}

    /** One of the signed-in user's API tokens on the account page: never its secret. state: the wire value, stateLabel: in words. */
    public record TokenRow(String id, String label, String scope, String channels, String expires, String state, String stateLabel, String lastUsed) {
        public boolean active() {
            return state.equals("active");
        }
    }

    /** A token just created: its secret, shown on this one page and never again. */
    public record NewToken(String id, String label, String secret) {}
}
