package io.parley.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.cases.CaseBook;
import io.parley.cases.CaseKey;
import io.parley.cases.ResponsivenessReport;
import io.parley.channel.CharterBook;
import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.federation.Federation;
import io.parley.identity.PartyCard;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.store.LinkStore;
import io.parley.store.OutboxStore;
import io.parley.store.PartyStore;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.Decision;
import io.parley.timeline.DeadlineStatus;
import io.parley.web.WebModel.*;

/**
 * Builds what each page shows from the node's services (the same stores and computations the API uses), as of the
 * node's clock. One instance per request: it caches the parties it has looked up.
 */
final class Pages {
    /** Cases listed on the dashboard before "and N more". */
    static final int ATTENTION_LIMIT = 50;
    static final int FINISHED_LIMIT = 10;
    /** A pending deadline is "due soon" (amber) within this long. */
    static final Duration SOON = Duration.ofHours(1);

    private final Node node;
    private final Federation federation;
    private final CaseBook cases;
    private final Instant now;
    private final Map<String, Party> parties = new HashMap<>();

    /** Who is looking: every case and message on a page is shown as MarkingPolicy lets this reader see it. */
    private final io.parley.evidence.MarkingPolicy.LocalUser reader;

    /** The reader's language: every label, date and duration on the page. */
    private final io.parley.web.i18n.Texts texts;
    private final List<io.parley.web.i18n.LanguageChoice.Link> languages;
    private final boolean admin;

    Pages(Node node, Federation federation, CaseBook cases, io.parley.evidence.MarkingPolicy.LocalUser reader, io.parley.web.i18n.Texts texts,
          List<io.parley.web.i18n.LanguageChoice.Link> languages, boolean admin) {
        this.node = node;
        this.texts = texts;
        this.languages = languages;
        this.admin = admin;
        this.reader = reader;
        this.federation = federation;
        this.cases = cases;
        this.now = node.now();
    }

    Instant now() {
        return now;
    }

    io.parley.web.i18n.Texts texts() {
        return texts;
    }

    Layout layout(String title, String user, String csrf, String section, int refresh, String notice, boolean noticeIsError) {
        return new Layout(title, user, node.origin(), node.config().displayName(), node.key().verifierKey().fingerprint(), csrf,
                texts.time(now), section, refresh, notice, noticeIsError, texts, languages, admin);
    }

    // ---- parties ----

    Party party(String origin) {
        return parties.computeIfAbsent(origin, o -> {
            if (o.equals(node.origin())) return new Party(o, node.config().displayName(), node.key().verifierKey().fingerprint(), true);
            Optional<PartyStore.Party> known = node.parties().find(o);
            String name = known.flatMap(p -> card(p)).map(PartyCard::displayName).orElse(null);
            return new Party(o, name, known.map(PartyStore.Party::fingerprint).orElse(texts.t("desk.party.unknownKey")), false);
        });
    }

    private static Optional<PartyCard> card(PartyStore.Party p) {
        if (p.card() == null || p.card().length() <= 2) return Optional.empty();
        try {
            return Optional.of(PartyCard.fromJson(Json.parse(p.card())));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---- cases ----

    /** A deadline as the reader sees it; {@code label}: a key, desk.deadline.ack or desk.deadline.answer. */
    Deadline deadline(String label, Instant due, Instant at, DeadlineStatus status, boolean stillOwed) {
        String urgency = switch (status) {
            case NOT_APPLICABLE -> "none";
            case DECLINED -> "declined";
            case MET -> "met";
            case MISSED -> stillOwed ? "overdue" : "missed";
            case PENDING -> Duration.between(now, due).compareTo(SOON) <= 0 ? "soon" : "pending";
        };
        String rel = switch (urgency) {
            case "overdue" -> texts.t("desk.deadline.overdueBy", Duration.between(due, now));
            case "soon", "pending" -> texts.t("desk.deadline.due", texts.relative(due, now));
            case "met", "missed" -> at == null ? "" : (at.isAfter(due) ? texts.t("desk.deadline.late", Duration.between(due, at)) : texts.t("desk.deadline.inTime"));
            default -> "";
        };
        // a deadline passed with the response still owed reads "overdue", not "missed": the officer can still act on it
        String statusText = urgency.equals("overdue") ? texts.t("desk.deadline.overdue") : texts.label("deadline", status.wire());
        return new Deadline(texts.t(label), texts.time(due), Fmt.iso(due), rel, statusText, urgency);
    }

    CaseRow row(CaseTimeline t) {
        boolean finished = t.state().finished();
        Deadline ack = deadline("desk.deadline.ack", t.ackDue(), t.ackedAt(), t.ackStatus(now), t.ackedAt() == null && !finished);
        Deadline answer = t.needsAnswer()
                ? deadline("desk.deadline.answer", t.answerDue(), t.answeredAt(), t.answerStatus(now), t.answeredAt() == null && !finished)
                : deadline("desk.deadline.answer", t.answerDue(), null, DeadlineStatus.NOT_APPLICABLE, false);
        CaseTimeline.Response mine = t.responses().get(node.origin());
        boolean owed = !finished && !t.openedBy().equals(node.origin())
                && (mine == null || mine.ackedAt() == null || t.needsAnswer() && mine.answeredAt() == null && !mine.declined());
        String urgency;
        if (finished) urgency = "done";
        else if (ack.urgency().equals("overdue") || answer.urgency().equals("overdue")) urgency = "overdue";
        else if (ack.urgency().equals("soon") || answer.urgency().equals("soon")) urgency = "soon";
        else if (owed) urgency = "owed";
        else urgency = "open";
        return new CaseRow(t.caseId(), t.summary() == null ? texts.t("desk.cases.noSummary") : t.summary(), t.kind().wire(), t.requestType(),
                t.priority().wire(), t.tlp(), t.state().wire(), t.channel(), party(t.openedBy()), texts.time(t.openedAt()), ack, answer, urgency, owed,
                t.exercise());
    }

    private static int rank(CaseRow r) {
        return switch (r.urgency()) {
            case "overdue" -> 0;
            case "soon" -> 1;
            case "owed" -> 2;
            case "open" -> 3;
            default -> 4;
        };
    }

    /** The next deadline still open, for ordering within a rank. */
    private static Instant nextDue(CaseTimeline t) {
        if (t.ackedAt() == null) return t.ackDue();
        if (t.needsAnswer() && t.answeredAt() == null) return t.answerDue();
        return Instant.MAX;
    }

    /** A line test that was answered needs nobody's attention, though no one closes it. */
    private static boolean settledPing(CaseTimeline t) {
        return t.kind() == Kind.PING && t.ackedAt() != null;
    }

    // ---- dashboard ----

    Dashboard dashboard(Layout layout) {
        List<CaseTimeline> open = new ArrayList<>();
        for (CaseKey key : cases.unfinished()) cases.timeline(key, reader).filter(t -> !settledPing(t)).ifPresent(open::add);
        open.sort(Comparator.comparing(Pages::nextDue).thenComparing(t -> t.priority().ordinal()));
        List<CaseRow> attention = new ArrayList<>(open.stream().map(this::row).toList());
        attention.sort(Comparator.comparingInt(Pages::rank)); // stable: keeps deadline order within a rank
        int overdue = (int) attention.stream().filter(r -> r.urgency().equals("overdue")).count();
        int soon = (int) attention.stream().filter(r -> r.urgency().equals("soon")).count();
        int owed = (int) attention.stream().filter(CaseRow::owedByUs).count();
        int more = Math.max(0, attention.size() - ATTENTION_LIMIT);
        if (more > 0) attention = attention.subList(0, ATTENTION_LIMIT);

        List<CaseTimeline> done = new ArrayList<>();
        for (String state : List.of("closed", "retracted")) {
            for (CaseKey key : cases.ids(null, state, FINISHED_LIMIT)) cases.timeline(key, reader).ifPresent(done::add);
        }
        done.sort(Comparator.comparing(CaseTimeline::openedAt).reversed());
        List<CaseRow> finished = done.stream().limit(FINISHED_LIMIT).map(this::row).toList();

        List<ChannelRow> channels = node.channels().all().stream().map(this::channelRow).toList();
        String base = node.card() == null ? null : node.card().baseUrl();
        return new Dashboard(layout, party(node.origin()), base, attention, more, finished, channels, peers(), logInfo(), overdue, soon, owed,
                contactLines(null));
    }

    /**
     * Members overdue in re-confirming their points of contact (every member's desk shows every member), and
     * ourselves from a quarter period before our due time; of one channel, or of all when {@code channel} is null.
     */
    List<ContactLine> contactLines(String channel) {
        List<ContactLine> out = new ArrayList<>();
        for (var st : new io.parley.practice.ContactConfirmations(node, new io.parley.practice.PracticeStore(node.db())).status(now)) {
            if (channel != null && !st.channel().equals(channel)) continue;
            boolean self = st.party().equals(node.origin());
            boolean dueSoon = self && !now.isBefore(st.due().minus(Duration.between(st.lastConfirmed(), st.due()).dividedBy(4)));
            if (st.overdue() || dueSoon || channel != null) out.add(new ContactLine(party(st.party()), st.channel(), texts.time(st.due()), st.overdue(), self));
        }
        return out;
    }

    ChannelRow channelRow(Charter c) {
        String id = c.channel();
        String state = node.channels().state(id).orElse("unknown");
        Optional<Charter> awaiting = node.charters().awaitingSignature(id);
        List<Party> signed = new ArrayList<>(), waiting = new ArrayList<>();
        boolean canSign = false, amendment = false;
        String pendingHash = null, blocked = null;
        if (awaiting.isPresent()) {
            Charter terms = awaiting.get();
            amendment = CharterBook.ACTIVE.equals(state);
            pendingHash = terms.hash();
            Set<String> signers = node.channels().signers(id, pendingHash);
            for (Charter.Member m : terms.members()) (signers.contains(m.origin()) ? signed : waiting).add(party(m.origin()));
            boolean ours = terms.member(node.origin()).isPresent() && !signers.contains(node.origin());
            blocked = ours ? node.charters().keyProblem(terms).map(CharterBook.KeyProblem::detail).orElse(null) : null;
            canSign = ours && blocked == null;
        }
        return new ChannelRow(id, c.title(), c.level().wire(), state, c.tlpCeiling(), c.members().stream().map(m -> party(m.origin())).toList(),
                awaiting.isPresent(), amendment, signed, waiting, canSign, pendingHash, blocked);
    }

    List<PeerRow> peers() {
        List<PeerRow> out = new ArrayList<>();
        for (PartyStore.Party p : node.knownParties()) {
            if (p.origin().equals(node.origin())) continue;
            Optional<LinkStore.Link> link = federation.links().link(p.origin());
            String line = link.map(l -> l.down() ? "down" : l.lastSuccess() != null ? "up" : "unknown").orElse("unknown");
            String downSince = null, outage = null, total = texts.duration(Duration.ZERO), lastSuccess = null, lastSuccessRel = null, lastFailure = null;
            if (link.isPresent()) {
                LinkStore.Link l = link.get();
                Duration ongoing = l.downSince() == null ? Duration.ZERO : Duration.between(l.downSince(), now);
                total = texts.duration(l.totalDowntime().plus(ongoing));
                if (l.downSince() != null) {
                    downSince = texts.time(l.downSince());
                    outage = texts.duration(ongoing);
                }
                if (l.lastSuccess() != null) {
                    lastSuccess = texts.time(l.lastSuccess());
                    lastSuccessRel = texts.relative(l.lastSuccess(), now);
                }
                if (l.lastFailure() != null) lastFailure = texts.time(l.lastFailure());
            }
            out.add(new PeerRow(party(p.origin()), federation.peerUrl(p.origin()).orElse(null), p.flaggedReason(), line, lastSuccess,
                    lastSuccessRel, downSince, outage, total, lastFailure, federation.outbox().count(p.origin(), "queued"),
                    federation.outbox().count(p.origin(), "failed")));
        }
        return out;
    }

    LogInfo logInfo() {
        var latest = node.log().latest();
        long size = latest.map(c -> c.size()).orElse(0L);
        List<String> cosigners = new ArrayList<>();
        if (latest.isPresent()) {
            for (String line : node.log().store().cosignatureLines(size)) {
                for (String l : line.split("\n")) {
                    String s = l.strip();
                    if (s.startsWith("\u2014 ")) s = s.substring(2);
                    int sp = s.indexOf(' ');
                    if (sp > 0) cosigners.add(s.substring(0, sp));
                }
            }
        }
        String newest = null;
        try {
            newest = node.log().store().newestCosignedSize().map(n -> Long.toString(n)).orElse(null);
        } catch (RuntimeException e) {
            // an empty table reads as no cosignature at all
        }
        return new LogInfo(size, latest.map(c -> texts.seconds(c.createdAt())).orElse(null), List.copyOf(new LinkedHashSet<>(cosigners)), newest,
                node.log().store().queueLength(), node.envelopes().count(), node.envelopes().equivocations().size(), node.witness().conflicts().size());
    }

    // ---- case page ----

    /** The reader's words for structured values (kinds, types, priorities, decisions, codes, categories, commitments). */
    private io.parley.web.i18n.Vocabulary words() {
        return io.parley.web.i18n.Vocabulary.of(texts);
    }

    /** The page of the case {@code id}, in {@code channel} when given (null: the one channel holding that id). */
    Optional<CasePage> casePage(Layout layout, String channel, String id) {
        Optional<CaseTimeline> named = cases.find(id, channel);
        if (named.isEmpty()) return Optional.empty();
        Optional<CaseTimeline> found = cases.timeline(named.get().channel(), id, reader);
        if (found.isEmpty()) return Optional.empty();
        CaseTimeline t = found.get();
        List<StoredEnvelope> envelopes = cases.envelopes(t.channel(), id, reader);
        Envelope opening = envelopes.stream().map(StoredEnvelope::envelope).filter(e -> e.from().equals(t.openedBy()) && e.kind() == t.kind())
                .findFirst().orElse(envelopes.get(0).envelope());
        Optional<Charter> charter = node.channels().charter(t.channel());

        List<Field> fields = fields(t, opening.body());
        List<Response> responses = new ArrayList<>();
        if (charter.isPresent()) {
            for (Charter.Member m : charter.get().members()) {
                if (m.origin().equals(t.openedBy())) continue;
                CaseTimeline.Response r = t.responses().get(m.origin());
                Instant acked = r == null ? null : r.ackedAt(), answered = r == null ? null : r.answeredAt();
                boolean finished = t.state().finished();
                Instant answerDue = r == null ? t.answerDue() : r.answerDue();
                responses.add(new Response(party(m.origin()), acked == null ? null : texts.time(acked),
                        deadline("desk.deadline.ack", t.ackDue(), acked, t.ackStatusOf(m.origin(), now), acked == null && !finished),
                        answered == null ? null : texts.time(answered),
                        t.needsAnswer() ? deadline("desk.deadline.answer", answerDue, answered, t.answerStatusOf(m.origin(), now), answered == null && !finished)
                                : deadline("desk.deadline.answer", t.answerDue(), null, DeadlineStatus.NOT_APPLICABLE, false),
                        decided(r), r == null ? List.of() : r.ignored()));
            }
        }

        List<StoredEnvelope> ordered = new ArrayList<>(envelopes);
        ordered.sort(Comparator.comparing((StoredEnvelope s) -> s.envelope().createdAt()).thenComparing(s -> s.envelope().from())
                .thenComparingLong(s -> s.envelope().seq()));
        List<Entry> timeline = new ArrayList<>();
        List<Escalation> escalations = new ArrayList<>();
        for (StoredEnvelope s : ordered) {
            Envelope e = s.envelope();
            JsonNode b = e.body();
            List<Delivery> deliveries = new ArrayList<>();
            if (e.from().equals(node.origin())) {
                for (OutboxStore.Status st : federation.outbox().forEnvelope(s.hash())) {
                    String detail = switch (st.state()) {
                        case "delivered" -> st.deliveredAt() == null ? "" : texts.seconds(st.deliveredAt());
                        case "queued" -> st.failedSince() != null ? texts.t("case.delivery.failingSince", texts.time(st.failedSince()))
                                : texts.t("case.delivery.attempts", st.attempts());
                        default -> st.lastError() == null ? "" : st.lastError();
                    };
                    deliveries.add(new Delivery(st.recipient(), st.state(), detail));
                }
            }
            String free = freeText(b);
            timeline.add(new Entry(texts.seconds(e.createdAt()), Fmt.iso(e.createdAt()), party(e.from()), e.kind().wire(), e.tlp(), e.priority().wire(),
                    free != null ? free : structuredText(b), free == null ? null : b.path("lang").asText(""), s.hash(), texts.seconds(s.receivedAt()),
                    deliveries, clock(t, s.hash()), decisionWords(e, b)));
            if (e.kind() == Kind.ESCALATE) {
                String due = b.path("due").isTextual() ? b.path("due").asText() : null;
                Instant dueAt = null;
                try {
                    dueAt = due == null ? null : Instant.parse(due);
                } catch (RuntimeException ex) {
                    // shown as given
                }
                escalations.add(new Escalation(texts.seconds(e.createdAt()), party(e.from()), words().deadlineName(b.path("deadline").asText("?")),
                        b.has("rung") ? texts.number(b.path("rung").asInt() + 1) : "?", b.path("role").asText(""),
                        b.path("contact").isTextual() ? b.path("contact").asText() : null, dueAt != null ? texts.time(dueAt) : due));
            }
        }
        for (StoredEnvelope s : io.parley.cases.SilencePins.sentFor(node, t.channel(), t.caseId())) {
            JsonNode b = s.envelope().body();
            String deadline = b.path("deadline").asText("?");
            Instant due = deadline.equals("ack") ? t.ackDue() : t.answerDue();
            escalations.add(new Escalation(texts.seconds(s.envelope().createdAt()), party(s.envelope().from()), words().deadlineName(deadline),
                    texts.t("case.pin.rung"), texts.t("case.pin", b.path("to").asText()), null, texts.time(due)));
        }
        boolean member = charter.flatMap(c -> c.member(node.origin())).isPresent();
        String title = charter.map(Charter::title).orElse(t.channel());
        String summaryLang = opening.body().path("summary").isTextual() && opening.body().path("lang").isTextual() ? opening.body().path("lang").asText() : null;
        return Optional.of(new CasePage(layout, row(t), title, fields, responses, timeline, escalations, member ? actions(t) : List.of(), member,
                NormsView.of(t, charter.orElse(null), now, texts), statements(t, envelopes, charter, member), retractions(t),
                TranslationsView.of(t, envelopes, member, this::party, texts), summaryLang));
    }

    /** What was withdrawn from the case's evidence, as the signed retracts say. */
    private List<WebModel.Retraction> retractions(CaseTimeline t) {
        List<WebModel.Retraction> out = new ArrayList<>();
        for (JsonNode r : node.evidence().ingest().retractions().json(t.channel(), t.caseId())) {
            out.add(new WebModel.Retraction(party(r.path("by").asText()), texts.seconds(Instant.parse(r.path("at").asText())), r.path("scope").asText(),
                    r.path("evidence").asText(null), r.path("objects_withdrawn").asInt(), r.path("retract").asText()));
        }
        return out;
    }

    /** The joint statements panel: who may propose, and each statement with the exact text a co-signature signs. */
    private WebModel.Statements statements(CaseTimeline t, List<StoredEnvelope> envelopes, Optional<Charter> charter, boolean member) {
        if (charter.isEmpty()) return new WebModel.Statements(false, texts.t("case.statement.noCharter"), List.of());
        List<CaseTimeline.Item> items = envelopes.stream().map(s -> new CaseTimeline.Item(s.envelope(), s.hash())).toList();
        boolean party = member && io.parley.timeline.JointStatement.parties(t, items, charter.get()).contains(node.origin());
        List<WebModel.Statement> list = new ArrayList<>();
        for (var s : io.parley.timeline.JointStatement.of(t, items, charter.get())) {
            list.add(new WebModel.Statement(s.id(), party(s.proposedBy()), texts.seconds(s.proposedAt()), s.lang(), s.text(),
                    s.translations().stream().map(x -> new WebModel.Translation(x.lang(), x.text())).toList(), s.textSha256(), s.signers(), s.pending(),
                    s.complete(), party && !s.signatures().containsKey(node.origin())));
        }
        String whyNot = !member ? texts.t("case.statement.notMember") : !party ? texts.t("case.statement.notParty")
                : !t.state().finished() ? texts.t("case.statement.notClosed") : null;
        return new WebModel.Statements(whyNot == null, whyNot, list);
    }

    /** What the page says of an envelope dated beyond the charter's clock skew from its log time; null when it is not. */
    private String clock(CaseTimeline t, String hash) {
        return t.clockFindings().stream().filter(f -> f.envelope().equals(hash)).findFirst()
                .map(f -> texts.t(f.direction() == io.parley.timeline.ClockFinding.Direction.BACKDATED ? "case.clock.backdated" : "case.clock.forward",
                        texts.duration(f.skew()), f.logged().by(), texts.seconds(f.logged().at())))
                .orElse(null);
    }

    /**
     * The decision a party signed, for the page; null when it made none (an ack from before decisions is an accept).
     * The code's meaning is in the reader's language (it is structured); the reason stays as its sender wrote it.
     */
    private Decided decided(CaseTimeline.Response r) {
        if (r == null || r.decision() == null) return null;
        Decision d = r.decision();
        String code = d.reasonCode() == null ? null : d.reasonCode().wire();
        return new Decided(d.choice().wire(), code, code == null ? null : words().reasonMeaning(code),
                d.reason(), d.lang(), d.until() == null ? null : texts.time(d.until()), texts.time(d.at()));
    }

    /** An ack's decision in the reader's words ("Declined · Legal obstacle"), for the timeline; null for other messages. */
    private String decisionWords(Envelope e, JsonNode b) {
        if (e.kind() != Kind.ACK || !b.path("decision").isTextual()) return null;
        String words = words().decided(b.path("decision").asText());
        if (b.path("reason_code").isTextual()) words += " · " + words().reasonCode(b.path("reason_code").asText());
        if (b.path("until").isTextual()) {
            try {
                words += " · " + texts.t("case.decision.until", texts.time(Instant.parse(b.path("until").asText())));
            } catch (RuntimeException ex) {
                words += " · " + b.path("until").asText();
            }
        }
        return words;
    }

    /** What a message's sender wrote in its own words (summary, text or a decision's reason), or null when it wrote none. */
    private static String freeText(JsonNode b) {
        if (b.path("withheld").isTextual()) return null;
        String summary = b.path("summary").isTextual() ? b.path("summary").asText() : null;
        String text = b.path("text").isTextual() ? b.path("text").asText() : null;
        if (summary != null && text != null && !summary.equals(text)) return summary + " — " + text;
        if (summary != null) return summary;
        if (text != null) return text;
        if (b.path("reason").isTextual()) return b.path("reason").asText();
        return null;
    }

    /** The page's own words for a message without free text: withheld content, a line test. */
    private String structuredText(JsonNode b) {
        if (b.path("withheld").isTextual()) return texts.t("case.timeline.withheld", b.path("withheld").asText());
        if (b.path("action").isTextual()) return b.path("action").asText();
        if (b.path("mode").isTextual()) return texts.t("case.timeline.lineTest", words().pingMode(b.path("mode").asText()));
        return "";
    }

    /**
     * The opening's fields: structured ones in the reader's words, what its sender wrote (asked, data, legal basis,
     * text) as written, tagged with the body's language.
     */
    private List<Field> fields(CaseTimeline t, JsonNode b) {
        String lang = b.path("lang").isTextual() ? b.path("lang").asText() : "";
        List<Field> f = new ArrayList<>();
        if (t.kind() == Kind.REQUEST) f.add(new Field(texts.t("case.field.type"), t.requestType() == null ? "—" : words().requestType(t.requestType()), false, null));
        if (t.kind() == Kind.PING) f.add(new Field(texts.t("case.field.lineTest"), texts.t(b.path("mode").asText("auto").equals("human") ? "case.field.lineTest.human"
                : "case.field.lineTest.auto"), false, null));
        add(f, texts.t("case.field.asked"), b.path("asked"), true, lang);
        add(f, texts.t("case.field.data"), b.path("data"), true, lang);
        identifiers(f, b.path("identifiers"));
        add(f, texts.t("case.field.systems"), b.path("affected").path("systems"), false, null);
        add(f, texts.t("case.field.sectors"), b.path("affected").path("sectors"), false, lang);
        JsonNode w = b.path("window");
        if (w.isObject() && (w.hasNonNull("from") || w.hasNonNull("to"))) {
            f.add(new Field(texts.t("case.field.window"), texts.t("case.field.window.range", windowEnd(w.path("from")), windowEnd(w.path("to"))), false, null));
        }
        add(f, texts.t("case.field.indicators"), b.path("indicators"), false, null);
        add(f, texts.t("case.field.legalBasis"), b.path("legal_basis"), false, lang);
        String text = b.path("text").isTextual() ? b.path("text").asText() : null;
        if (text != null && !text.equals(t.summary())) f.add(new Field(texts.t("case.field.text"), text, true, lang));
        return f;
    }

    /** A preservation request's identifiers, one "type: value" each. */
    private void identifiers(List<Field> f, JsonNode ids) {
        if (!ids.isArray() || ids.isEmpty()) return;
        List<String> items = new ArrayList<>();
        ids.forEach(x -> items.add(x.path("type").asText("?") + ": " + x.path("value").asText("?")));
        f.add(new Field(texts.t("case.field.identifiers"), String.join(", ", items), false, null));
    }

    private String windowEnd(JsonNode v) {
        if (!v.isTextual()) return "…";
        try {
            return texts.time(Instant.parse(v.asText()));
        } catch (RuntimeException e) {
            return v.asText();
        }
    }

    /** One field; {@code lang} non-null: the sender's own words, shown as the original in that language. */
    private static void add(List<Field> f, String label, JsonNode v, boolean multiline, String lang) {
        if (v.isTextual() && !v.asText().isBlank()) f.add(new Field(label, v.asText(), multiline, lang));
        else if (v.isArray() && !v.isEmpty()) {
            List<String> items = new ArrayList<>();
            v.forEach(x -> items.add(x.isTextual() ? x.asText() : Json.write(x)));
            f.add(new Field(label, String.join(", ", items), false, lang));
        } else if (v.isObject() || v.isNumber() || v.isBoolean()) {
            f.add(new Field(label, Json.write(v), false, null));
        }
    }

    /** Only what makes sense for this node: the opener neither acknowledges nor answers; only the opener closes or retracts. */
    List<Action> actions(CaseTimeline t) {
        if (t.state().finished()) return List.of();
        boolean opener = t.openedBy().equals(node.origin());
        CaseTimeline.Response mine = t.responses().get(node.origin());
        List<Action> out = new ArrayList<>();
        // a party may change its decision (a defer into an accept, say) until it has answered
        if (!opener && (mine == null || mine.ackedAt() == null)) out.add(new Action("ack", texts.t("case.action.ack"), false));
        else if (!opener && t.kind() == Kind.REQUEST && mine.answeredAt() == null) out.add(new Action("ack", texts.t("case.action.decision"), false));
        if (t.kind() != Kind.PING) out.add(new Action("update", texts.t("case.action.update"), false));
        if (!opener && t.kind() == Kind.REQUEST && (mine == null || mine.answeredAt() == null)) out.add(new Action("answer", texts.t("case.action.answer"), false));
        if (opener) out.add(new Action("close", texts.t("case.action.close"), true));
        if (opener) out.add(new Action("retract", texts.t("case.action.retract"), true));
        return out;
    }

    // ---- channel page ----

    Optional<ChannelPage> channelPage(Layout layout, String id) {
        Optional<Charter> found = node.channels().charter(id);
        if (found.isEmpty()) return Optional.empty();
        Charter c = found.get();
        String hash = c.hash();
        Set<String> signers = node.channels().signers(id, hash);
        List<Member> members = c.members().stream()
                .map(m -> new Member(party(m.origin()), m.key().fingerprint(), signers.contains(m.origin()), m.baseUrl())).toList();
        Optional<Charter> pending = node.channels().pending(id);
        List<Term> pendingTerms = pending.map(this::terms).orElse(List.of());

        List<CaseTimeline> timelines = new ArrayList<>();
        for (CaseKey key : cases.ids(id, null, 100_000)) cases.timeline(key, reader).ifPresent(timelines::add);
        List<CaseRow> rows = timelines.stream().limit(100).map(this::row).toList();

        Instant to = now.plusSeconds(1), from = to.minus(Duration.ofDays(30));
        ResponsivenessReport r = responsiveness(c, timelines, from, to);
        List<ReportRow> report = reportRows(r.rows());
        List<ReportRow> exerciseReport = reportRows(r.exerciseRows());
        List<PingSchedule> pings = c.practice().pingExercises().stream().map(p -> new PingSchedule(pingExercise(p), texts.time(p.nextSlot(now)),
                io.parley.practice.PingExercises.turn(c, p, p.nextSlot(now)))).toList();
        String contactsEvery = c.practice().contactReconfirmationEvery().map(texts::duration).orElse(null);
        String csv = "/channels/" + Fmt.path(id) + "/report.csv";
        boolean member = c.member(node.origin()).isPresent();
        return Optional.of(new ChannelPage(layout, channelRow(c), terms(c), ladder(c), members, pendingTerms,
                pending.map(p -> Fmt.tlpLabel(p.tlpCeiling())).orElse(null), rows, report, texts.time(from), texts.time(to), csv, member,
                NormsView.commitments(c, texts), NormsView.report(c, timelines, from, to, now, texts), exerciseReport, pings, contactsEvery, contactLines(id)));
    }

    /** "every Monday 10:00 UTC, duty officer ping" in the reader's words. */
    private String pingExercise(io.parley.charter.Practice.PingExercise p) {
        String mode = words().pingMode(p.mode()), at = p.at().toString();
        return p.day() == null ? texts.t("channel.ping.daily", at, mode) : texts.t("channel.ping.weekly", words().day(p.day()), at, mode);
    }

    private List<ReportRow> reportRows(List<ResponsivenessReport.Row> rows) {
        return rows.stream().map(x -> new ReportRow(party(x.party()), x.cases(), x.requests(), percent(x.ackOnTimePercent()),
                x.ackMissed(), percent(x.answerOnTimePercent()), x.answerMissed(), texts.duration(x.medianAck()), texts.duration(x.p90Ack()),
                texts.duration(x.medianAnswer()), texts.duration(x.p90Answer()), x.pingTests(), x.pingsFailed(), x.outages(), texts.duration(x.downtime()),
                texts.t("channel.report.decisions", x.decided().accepted(), x.decided().declined(), x.decided().deferred()), x.clockFindings())).toList();
    }

    /** A share in the reader's way: "85%", "85 %", a dash when there was nothing to count. */
    private String percent(Double p) {
        if (p == null) return "—";
        String n = p == Math.floor(p) ? texts.number(p.longValue())
                : com.ibm.icu.text.NumberFormat.getNumberInstance(texts.lang().locale()).format(p);
        return texts.t("channel.percent", n);
    }

    private ResponsivenessReport responsiveness(Charter c, List<CaseTimeline> timelines, Instant from, Instant to) {
        Map<String, LinkStore.Link> links = new HashMap<>();
        Map<String, List<LinkStore.Outage>> outages = new HashMap<>();
        for (Charter.Member m : c.members()) {
            federation.links().link(m.origin()).ifPresent(l -> links.put(m.origin(), l));
            outages.put(m.origin(), federation.links().outages(m.origin()));
        }
        return ResponsivenessReport.compute(c, timelines, from, to, now, links, outages);
    }

    /** The channel page's responsiveness report (last 30 days, the cases this reader may see) as CSV. */
    Optional<String> reportCsv(String id) {
        Optional<Charter> c = node.channels().charter(id);
        if (c.isEmpty()) return Optional.empty();
        List<CaseTimeline> timelines = new ArrayList<>();
        for (CaseKey key : cases.ids(id, null, 100_000)) cases.timeline(key, reader).ifPresent(timelines::add);
        Instant to = now.plusSeconds(1);
        return Optional.of(responsiveness(c.get(), timelines, to.minus(Duration.ofDays(30)), to).toCsv());
    }

    private List<Term> terms(Charter c) {
        List<Term> out = new ArrayList<>();
        for (Priority p : Priority.values()) {
            Charter.Deadlines d = c.deadlines().get(p);
            out.add(new Term(p.wire(), texts.duration(d.ack()), texts.duration(d.answer())));
        }
        return out;
    }

    private List<Rung> ladder(Charter c) {
        List<Rung> out = new ArrayList<>();
        for (int i = 0; i < c.escalation().size(); i++) {
            Charter.Rung r = c.escalation().get(i);
            out.add(new Rung(i + 1, r.after().isZero() ? texts.t("channel.ladder.atDeadline") : texts.t("channel.ladder.after", texts.duration(r.after())),
                    r.role(), r.contact()));
        }
        return out;
    }

    // ---- new case form ----

    /**
     * The new-case form in the reader's language: the options' words translated, their values the wire values the
     * form posts. The language of the free text defaults to the reader's.
     */
    NewCase newCase(Layout layout, Charter c, CaseForm form, String error, String errorField) {
        List<Option> tlps = new ArrayList<>();
        for (Tlp t : Tlp.values()) if (!t.exceeds(c.tlpCeiling())) tlps.add(new Option(t.wire(), Fmt.tlpLabel(t)));
        List<Option> priorities = new ArrayList<>();
        for (Priority p : Priority.values()) {
            Charter.Deadlines d = c.deadlines().get(p);
            priorities.add(new Option(p.wire(), texts.t("newcase.priority.option", words().priority(p.wire()), texts.duration(d.ack()), texts.duration(d.answer()))));
        }
        List<Option> types = new TreeSet<>(CaseBook.REQUEST_TYPES).stream().map(t -> new Option(t, words().requestType(t)))
                .sorted(Comparator.comparing(Option::label, java.text.Collator.getInstance(texts.lang().locale()))).toList();
        return new NewCase(layout, c.channel(), c.title(), c.tlpCeiling(), tlps, priorities, types, form, error, errorField,
                NormsView.categories(texts), NormsView.commitments(c, texts));
    }
}
