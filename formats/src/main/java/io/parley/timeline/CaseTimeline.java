package io.parley.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;

/**
 * A case as its signed envelopes and the channel charter define it. Pure: the node, the report and the offline
 * verifier all call {@link #of} and so agree on every state, time and deadline.
 *
 * <p>Rules: a {@code notify}, {@code request} or {@code ping} carrying the case id opens it, if the id is bound to its
 * sender ({@link CaseIds}): the first such envelope in the opener's chain; its {@code created} time and priority fix the acknowledgement and answer deadlines from the charter. A response from a
 * member other than the opener acknowledges ({@code ack}, {@code pong}, {@code update}, {@code answer}); an
 * {@code answer} also answers. A notification and a ping need acknowledging only. {@code close} and {@code retract}
 * by the opener close and withdraw it (a {@code retract} naming evidence withdraws only that evidence); from anyone
 * else they are on record and change nothing. Times are the envelopes' signed {@code created} times, except where a
 * recipient's signed log time ({@link LoggedAt}) differs from one by more than the charter's clock skew: that envelope
 * counts at its log time and is a {@link ClockFinding}.
 *
 * <p>A case whose opening body says {@code "exercise": true} is an exercise ({@link #exercise()}): it runs and
 * escalates like any other, and reports count it apart from the real figures.
 *
 * <p>A courtesy translation ({@link CourtesyTranslation}) is listed with the event it translates and moves nothing.
 *
 * <p>A case lives in one channel: only envelopes of the charter's channel count, so an envelope carrying the same
 * case id in another channel never moves it.
 */
public record CaseTimeline(String caseId, String channel, String openedBy, String openingHash, Kind kind, String requestType,
                           Priority priority, Tlp tlp, String summary, Instant openedAt, Instant ackDue, Instant answerDue,
                           CaseState state, Instant ackedAt, String ackedBy, Instant answeredAt, String answeredBy,
                           Instant closedAt, Map<String, Response> responses, List<Event> events, List<String> addressedParties, CaseNorms norms,
                           List<ClockFinding> clockFindings, boolean exercise) {

    /**
     * One party's first acknowledgement and answer, and its answer decision ({@link Decision}): the latest it made
     * ({@code decision}, null when it never acknowledged with an {@code ack}), the answer deadline in force for it
     * ({@code answerDue}: the charter's, or the {@code until} of a defer), whether a decline stopped that deadline in
     * time ({@code declined}), and the decisions it signed that count for nothing, each with why ({@code ignored}).
     */
    public record Response(String party, Instant ackedAt, Instant answeredAt, Decision decision, Instant answerDue, boolean declined,
                           List<String> ignored) {
        public Response {
            ignored = List.copyOf(ignored);
        }

        Response(String party, Instant answerDue) {
            this(party, null, null, null, answerDue, false, List.of());
        }
    }

    /**
     * One envelope of the case, in order, with the courtesy translations of its free text that count
     * ({@link CourtesyTranslation}): shown next to it, never instead of it.
     */
    public record Event(Instant at, String from, Kind kind, String hash, String summary, List<CourtesyTranslation> translations) {
        public Event {
            translations = List.copyOf(translations);
        }
    }

    /** The case's envelopes, each with its hash. */
    public record Item(Envelope envelope, String hash) {}

    /** The case on its senders' word alone: no recipient's log time is known. */
    public static Optional<CaseTimeline> of(String caseId, List<Item> items, Charter charter) {
        return of(caseId, items, charter, Map.of());
    }

    /**
     * The case, with {@code loggedAt} the earliest known recipient log time of each envelope by hash (see
     * {@link LoggedAt#keepEarliest}); an envelope without one counts at its {@code created} time.
     */
    public static Optional<CaseTimeline> of(String caseId, List<Item> items, Charter charter, Map<String, LoggedAt> loggedAt) {
        Map<String, Instant> at = new java.util.HashMap<>();
        List<ClockFinding> findings = new ArrayList<>();
        for (Item i : items) {
            Optional<ClockFinding> f = ClockFinding.of(i.envelope(), i.hash(), loggedAt, charter.practice().clockSkew());
            f.ifPresent(findings::add);
            at.put(i.hash(), f.map(x -> x.logged().at()).orElse(i.envelope().createdAt()));
        }
        List<Item> sorted = new ArrayList<>(items.stream().filter(i -> i.envelope().channel().equals(charter.channel())).toList());
        sorted.sort(Comparator.comparing((Item i) -> at.get(i.hash())).thenComparing(i -> i.envelope().from())
                .thenComparingLong(i -> i.envelope().seq()));
        Item opening = opening(caseId, sorted);
        if (opening == null) return Optional.empty();
        findings.removeIf(f -> sorted.stream().noneMatch(i -> i.hash().equals(f.envelope())));
        findings.sort(Comparator.comparing((ClockFinding f) -> at.get(f.envelope())).thenComparing(ClockFinding::envelope));
        Envelope o = opening.envelope();
        Charter.Deadlines d = charter.deadlines().get(o.priority());
        Instant openedAt = at.get(opening.hash());
        CaseState state = CaseState.OPEN;
        Instant ackedAt = null, answeredAt = null, closedAt = null;
        String ackedBy = null, answeredBy = null;
        Map<String, Response> responses = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        Map<String, List<CourtesyTranslation>> translations = CourtesyTranslation.of(caseId, charter.channel(), sorted);
        for (Item item : sorted) {
            Envelope e = item.envelope();
            Instant when = at.get(item.hash());
            events.add(new Event(when, e.from(), e.kind(), item.hash(), summary(e.body(), e.kind() == Kind.ACK ? Decisions.summary(item) : ""),
                    translations.getOrDefault(item.hash(), List.of())));
            // a courtesy translation is on record, and no response: translating a request neither acknowledges nor answers it
            if (item == opening || state.finished() || when.isBefore(openedAt) || CourtesyTranslation.isTranslation(e)) continue;
            boolean fromOpener = e.from().equals(o.from());
            switch (e.kind()) {
                case ACK, PONG, UPDATE, ANSWER -> {
                    if (fromOpener) continue; // the opener adding detail is not a response
                    Response r = responses.getOrDefault(e.from(), new Response(e.from(), openedAt.plus(d.answer())));
                    Instant ack = r.ackedAt() == null ? when : r.ackedAt();
                    Instant ans = r.answeredAt() == null && e.kind() == Kind.ANSWER ? when : r.answeredAt();
                    r = new Response(e.from(), ack, ans, r.decision(), r.answerDue(), r.declined(), r.ignored());
                    if (e.kind() == Kind.ACK) r = Decisions.apply(r, item, when, addressed(o, charter).contains(e.from()));
                    responses.put(e.from(), r);
                    if (ackedAt == null) {
                        ackedAt = when;
                        ackedBy = e.from();
                    }
                    if (e.kind() == Kind.ANSWER && answeredAt == null) {
                        answeredAt = when;
                        answeredBy = e.from();
                    }
                    state = switch (e.kind()) {
                        case ANSWER -> CaseState.ANSWERED;
                        case UPDATE -> state == CaseState.ANSWERED ? state : CaseState.IN_PROGRESS;
                        default -> state == CaseState.OPEN ? CaseState.ACKNOWLEDGED : state;
                    };
                }
                case CLOSE -> {
                    if (fromOpener) {
                        state = CaseState.CLOSED;
                        closedAt = when;
                    }
                }
                case RETRACT -> {
                    // a retract naming evidence ("evidence_retracted") withdraws that evidence, not the case
                    if (fromOpener && !e.body().has("evidence_retracted")) {
                        state = CaseState.RETRACTED;
                        closedAt = when;
                    }
                }
                default -> { } // escalate and the like are on record but change nothing
            }
        }
        if (o.kind() == Kind.REQUEST && answeredAt == null && !state.finished() && Decisions.allDeclined(addressed(o, charter), responses)) {
            state = CaseState.DECLINED;
        }
        JsonNode openingBody = o.body();
        String requestType = o.kind() == Kind.REQUEST ? openingBody.path("type").asText(null) : null;
        String summary = summary(openingBody, null);
        return Optional.of(new CaseTimeline(caseId, o.channel(), o.from(), opening.hash(), o.kind(), requestType, o.priority(), o.tlp(),
                summary, openedAt, openedAt.plus(d.ack()), openedAt.plus(d.answer()), state, ackedAt, ackedBy, answeredAt, answeredBy,
                closedAt, responses, events, addressed(o, charter), CaseNorms.of(opening, sorted, charter), List.copyOf(findings),
                exercise(openingBody)));
    }

    /**
     * Whether the opening marks the case an exercise: only a JSON {@code true} in the opener's signed opening body
     * counts. No later envelope and no other member can make a real case an exercise (to hide a missed deadline among
     * the drills) or an exercise real.
     */
    private static boolean exercise(JsonNode openingBody) {
        JsonNode x = openingBody.get("exercise");
        return x != null && x.isBoolean() && x.booleanValue();
    }

    /** What a message is about: its summary, else its text, else {@code otherwise}. */
    private static String summary(JsonNode body, String otherwise) {
        return body.path("summary").asText(body.path("text").asText(otherwise));
    }

    /**
     * The envelope that opens the case: only an opening whose sender the id is bound to counts ({@link CaseIds}), so
     * another member's opening with this id, however early it claims to be, never makes it the opener. Of its opener's
     * openings the first in its chain counts, so the opener cannot re-date or re-kind its case later either (an
     * envelope's {@code created} is its sender's word, its place in the chain is not).
     */
    private static Item opening(String caseId, List<Item> byTime) {
        Item first = null;
        for (Item i : byTime) {
            Envelope e = i.envelope();
            if (!CaseIds.opens(e.kind()) || !caseId.equals(e.caseId()) || !CaseIds.boundTo(caseId, e.from())) continue;
            if (first == null) first = i;
            else if (e.from().equals(first.envelope().from()) && e.seq() < first.envelope().seq()) first = i;
        }
        return first;
    }

    public boolean needsAnswer() {
        return kind == Kind.REQUEST;
    }

    public DeadlineStatus ackStatus(Instant now) {
        return status(ackedAt, ackDue, now, true);
    }

    /**
     * The answer deadline of the case: answered in time by anyone, or else as its addressed parties stand (each by
     * its own deadline, which a defer moves and a decline stops): declined when every one declined, missed when one
     * that still owes an answer let its deadline pass, pending while any still may answer. With no decisions every
     * party has the charter's deadline and this is that deadline's status.
     */
    public DeadlineStatus answerStatus(Instant now) {
        if (!needsAnswer()) return DeadlineStatus.NOT_APPLICABLE;
        if (answeredAt != null) return status(answeredAt, answerDue, now, true);
        return Decisions.caseStatus(addressedParties(), p -> answerStatusOf(p, now), () -> status(null, answerDue, now, true));
    }

    /**
     * The earliest answer deadline in force among the addressed parties that have not declined or answered (what the
     * deadline clock escalates from); the charter's when none is left.
     */
    public Instant answerDueInForce() {
        Instant earliest = null;
        for (String p : addressedParties) {
            Response r = responses.get(p);
            if (r != null && (r.answeredAt() != null || r.declined())) continue;
            Instant due = r == null ? answerDue : r.answerDue();
            if (earliest == null || due.isBefore(earliest)) earliest = due;
        }
        return earliest == null ? answerDue : earliest;
    }

    /**
     * The members a case asks for a response: for TLP:RED its opening's named recipients, otherwise every member of
     * the charter but the opener. Only their decisions count.
     */
    static List<String> addressed(Envelope opening, Charter charter) {
        List<String> named = new ArrayList<>();
        if (opening.tlp() == Tlp.RED && opening.body().path("recipients").isArray()) opening.body().get("recipients").forEach(n -> named.add(n.asText()));
        return charter.members().stream().map(Charter.Member::origin).filter(m -> !m.equals(opening.from()))
                .filter(m -> opening.tlp() != Tlp.RED || named.contains(m)).toList();
    }

    /** Status of one party's acknowledgement (for per-party reports). */
    public DeadlineStatus ackStatusOf(String party, Instant now) {
        Response r = responses.get(party);
        return status(r == null ? null : r.ackedAt(), ackDue, now, true);
    }

    /** One party's answer deadline: its own, as its decisions moved or stopped it ({@link Decision}). */
    public DeadlineStatus answerStatusOf(String party, Instant now) {
        if (!needsAnswer()) return DeadlineStatus.NOT_APPLICABLE;
        Response r = responses.get(party);
        if (r == null) return status(null, answerDue, now, true);
        if (r.answeredAt() == null && r.declined()) return DeadlineStatus.DECLINED;
        return status(r.answeredAt(), r.answerDue(), now, true);
    }

    private DeadlineStatus status(Instant at, Instant due, Instant now, boolean applicable) {
        if (!applicable) return DeadlineStatus.NOT_APPLICABLE;
        if (at != null) return at.isAfter(due) ? DeadlineStatus.MISSED : DeadlineStatus.MET;
        // a case withdrawn or closed before its deadline owes nothing more
        if (closedAt != null && !closedAt.isAfter(due)) return DeadlineStatus.NOT_APPLICABLE;
        return now.isAfter(due) ? DeadlineStatus.MISSED : DeadlineStatus.PENDING;
    }

    public Optional<Duration> timeToAck() {
        return Optional.ofNullable(ackedAt).map(t -> Duration.between(openedAt, t));
    }

    public Optional<Duration> timeToAnswer() {
        return Optional.ofNullable(answeredAt).map(t -> Duration.between(openedAt, t));
    }
}
