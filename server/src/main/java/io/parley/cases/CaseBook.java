package io.parley.cases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.CaseIds;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.Decision;

/**
 * Cases on this node: opening and answering them (as signed envelopes), the {@code cases} projection kept current
 * as envelopes arrive, and the automatic {@code pong} that proves the line is up.
 */
public final class CaseBook {
    private static final Logger LOG = LoggerFactory.getLogger(CaseBook.class);
    public static final Set<String> REQUEST_TYPES = Set.of("assistance", "information", "trace", "mitigation", "preservation", "consultation");

    private final Node node;
    private final CaseStore store;

    public CaseBook(Node node, CaseStore store) {
        this.node = node;
        this.store = store;
        node.onAcceptedBatch(this::accepted);
    }

    /** A case's projection is rebuilt once per stored batch, however many of its envelopes the batch held. */
    private void accepted(List<StoredEnvelope> stored) {
        java.util.Set<CaseKey> touched = new java.util.LinkedHashSet<>();
        for (StoredEnvelope s : stored) {
            var e = s.envelope();
            if (e.caseId() != null) touched.add(new CaseKey(e.channel(), e.caseId()));
        }
        touched.forEach(k -> refresh(k.channel(), k.id()));
        for (StoredEnvelope s : stored) {
            var e = s.envelope();
            if (e.caseId() != null && e.kind() == Kind.PING && !e.from().equals(node.origin()) && "auto".equals(e.body().path("mode").asText("auto"))) {
                // Answer on another thread: the sender's delivery is waiting for our receipt, not for our pong.
                Thread.ofVirtual().start(() -> respond(e.channel(), e.caseId(), Kind.PONG, Json.object().put("ping", s.hash())));
            }
        }
    }

    /** The case {@code caseId} of {@code channel} as its envelopes in that channel define it. */
    public Optional<CaseTimeline> timeline(String channel, String caseId) {
        List<StoredEnvelope> stored = node.envelopes().inCase(channel, caseId);
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (StoredEnvelope s : stored) items.add(new CaseTimeline.Item(s.envelope(), s.hash()));
        if (items.isEmpty()) return Optional.empty();
        return node.channels().charter(channel).flatMap(c -> CaseTimeline.of(caseId, items, c, LogTimes.of(node, stored)));
    }

    /**
     * The case a client names by id, and by channel when it gives one (null: any channel). An id that names cases in
     * several channels is ambiguous without a channel: a 409 asking for one, never a guess.
     */
    public Optional<CaseTimeline> find(String caseId, String channel) {
        return channelOf(store, caseId, channel).flatMap(c -> timeline(c, caseId));
    }

    /**
     * The channel of the case a client names by id, and by channel when it gives one (then that channel, whether or
     * not it has such a case); empty when no channel has a case with this id; a 409 when several do.
     */
    public static Optional<String> channelOf(CaseStore store, String caseId, String channel) {
        if (channel != null) return Optional.of(channel);
        List<String> channels = store.channelsWith(caseId);
        if (channels.size() > 1) {
            throw new CaseException(409, "ambiguous-case", "case id '" + caseId + "' names cases in channels " + String.join(", ", channels)
                    + "; say which with ?channel=");
        }
        return channels.stream().findFirst();
    }

    /** {@link #find(String, String)} without a channel: the one case with this id, if exactly one channel has it. */
    public Optional<CaseTimeline> timeline(String caseId) {
        return find(caseId, null);
    }

    /**
     * The case {@code caseId} of {@code channel} as {@code reader} may see it: envelopes the reader may not read
     * (TLP:RED without a grant, see {@link io.parley.node.MessageAccess}) keep their metadata, so the state, parties
     * and deadlines are the same, but lose their bodies, so no summary, request type, text or typed field of theirs
     * shows.
     */
    public Optional<CaseTimeline> timeline(String channel, String caseId, io.parley.evidence.MarkingPolicy.LocalUser reader) {
        List<StoredEnvelope> stored = envelopes(channel, caseId, reader);
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (StoredEnvelope s : stored) items.add(new CaseTimeline.Item(s.envelope(), s.hash()));
        if (items.isEmpty()) return Optional.empty();
        return node.channels().charter(channel).flatMap(c -> CaseTimeline.of(caseId, items, c, LogTimes.of(node, stored)));
    }

    /** {@link #timeline(String, String, io.parley.evidence.MarkingPolicy.LocalUser)} by key. */
    public Optional<CaseTimeline> timeline(CaseKey key, io.parley.evidence.MarkingPolicy.LocalUser reader) {
        return timeline(key.channel(), key.id(), reader);
    }

    /** The case's envelopes as {@code reader} may see them. */
    public List<StoredEnvelope> envelopes(String channel, String caseId, io.parley.evidence.MarkingPolicy.LocalUser reader) {
        return node.envelopes().inCase(channel, caseId).stream().map(s -> node.messageAccess().view(reader, s)).toList();
    }

    /** Recomputes the projection row of a case from its envelopes. */
    public void refresh(String channel, String caseId) {
        timeline(channel, caseId).ifPresent(t -> store.put(t, node.now()));
    }

    /** Cases, newest first, optionally of one channel or state. */
    public List<CaseKey> ids(String channel, String state, int limit) {
        return store.list(channel, state, limit);
    }

    /** Cases still waiting for a response or closure, for the deadline clock. */
    public List<CaseKey> unfinished() {
        return store.unfinished();
    }

    /** Where this node's escalations are recorded. */
    CaseStore store() {
        return store;
    }

    /** The timeline of a listed case (it may have no timeline if its channel's charter is gone). */
    public Optional<CaseTimeline> timeline(CaseKey key) {
        return timeline(key.channel(), key.id());
    }

    /** Opens a case with a notification, a request or a ping; checks the typed fields a CERT needs. */
    public CaseTimeline open(String channel, Kind kind, Priority priority, Tlp tlp, ObjectNode body) {
        return open(channel, kind, priority, tlp, body, null);
    }

    /** As {@link #open(String, Kind, Priority, Tlp, ObjectNode)} on behalf of local account {@code author} (null: the node itself). */
    public CaseTimeline open(String channel, Kind kind, Priority priority, Tlp tlp, ObjectNode body, String author) {
        checkOpening(kind, body);
        node.channels().charter(channel).ifPresent(c -> NormsCheck.opening(c, kind, body));
        String caseId = newCaseId();
        Verdict v = node.composer().compose(new Composer.Draft(channel, kind, caseId, priority, tlp, body, author));
        if (v instanceof Verdict.Rejected r) throw new CaseException(r.reason().httpStatus(), r.reason().code(), r.reason().detail());
        return timeline(channel, caseId).orElseThrow();
    }

    /**
     * Adds our response (ack, update, answer, close, retract, pong) to the case {@code caseId} of {@code channel}. Only
     * its opener closes or retracts a case (charters have no rule that says otherwise); the other side acknowledges
     * and answers.
     */
    public Verdict respond(String channel, String caseId, Kind kind, ObjectNode body) {
        return respond(channel, caseId, kind, body, null);
    }

    /** As {@link #respond(String, String, Kind, ObjectNode)} on behalf of local account {@code author} (null: the node itself). */
    public Verdict respond(String channel, String caseId, Kind kind, ObjectNode body, String author) {
        CaseTimeline t = timeline(channel, caseId)
                .orElseThrow(() -> new CaseException(404, "unknown-case", "no case '" + caseId + "' is known in channel " + channel));
        if (t.state().finished()) throw new CaseException(409, "case-finished", "case " + caseId + " is " + t.state().wire());
        if (kind == Kind.RETRACT && !t.openedBy().equals(node.origin())) throw new CaseException(403, "not-opener", "only the party that opened a case can retract it");
        if (kind == Kind.CLOSE && !t.openedBy().equals(node.origin())) {
            throw new CaseException(403, "not-opener", "only the party that opened a case (" + t.openedBy() + ") can close it; send an answer or update instead");
        }
        if ((kind == Kind.ACK || kind == Kind.ANSWER || kind == Kind.PONG) && t.openedBy().equals(node.origin())) {
            throw new CaseException(409, "own-case", "a case is acknowledged and answered by the other side, not by its opener");
        }
        var reserved = io.parley.node.ProtocolActs.in(body);
        if (reserved.isPresent()) throw new EnvelopeFormatException("/body/" + reserved.get().member(), reserved.get().detail());
        NormsCheck.response(t, node.origin(), kind, body, node.now());
        if (kind == Kind.ACK) body = decided(body, node.now());
        Verdict v = node.composer().compose(new Composer.Draft(t.channel(), kind, caseId, t.priority(), t.tlp(), addressed(node, t, body), author));
        if (v instanceof Verdict.Rejected r) throw new CaseException(r.reason().httpStatus(), r.reason().code(), r.reason().detail());
        return v;
    }

    /**
     * An ack body with its answer decision checked ({@link Decision}) before we sign it: a caller that names none (as
     * every caller did before decisions existed) accepts.
     *
     * @throws EnvelopeFormatException naming the field when the decision is ill-formed
     */
    static ObjectNode decided(ObjectNode body, Instant now) {
        ObjectNode out = body;
        if (!body.hasNonNull("decision")) out = body.deepCopy().put("decision", Decision.Choice.ACCEPT.wire());
        Decision.read(out, now, "");
        return out;
    }

    /**
     * {@code body} addressed for a step of case {@code t}: in a TLP:RED case, which only its named recipients hold,
     * every later step (ack, answer, escalation, pong...) goes to the same parties, the opener and the opening's
     * named recipients ({@link io.parley.node.RedCaseSteps#parties}) that are still members, less this node, unless the caller named recipients
     * itself (which the Composer then holds to those parties). Other cases: {@code body} as is.
     */
    static ObjectNode addressed(Node node, CaseTimeline t, ObjectNode body) {
        if (t.tlp() != Tlp.RED || body.has("recipients")) return body;
        java.util.Set<String> audience = new java.util.TreeSet<>(node.redCaseSteps().parties(t.channel(), t.caseId()).orElse(java.util.Set.of(t.openedBy())));
        audience.remove(node.origin());
        // a party an amendment has since removed from the channel can be sent nothing there; the others still can
        node.channels().charter(t.channel()).ifPresent(c -> audience.removeIf(p -> c.member(p).isEmpty()));
        ObjectNode out = body.deepCopy();
        var arr = out.putArray("recipients");
        audience.forEach(arr::add);
        return out;
    }

    static void checkOpening(Kind kind, ObjectNode body) {
        switch (kind) {
            case REQUEST -> {
                String type = body.path("type").asText("");
                if (!REQUEST_TYPES.contains(type)) {
                    throw new EnvelopeFormatException("/body/type", "a request's type must be one of " + new java.util.TreeSet<>(REQUEST_TYPES));
                }
                requireText(body, "summary");
                requireText(body, "asked");
            }
            case NOTIFY -> requireText(body, "summary");
            case PING -> {
                String mode = body.path("mode").asText("auto");
                if (!mode.equals("auto") && !mode.equals("human")) throw new EnvelopeFormatException("/body/mode", "a ping's mode is auto or human");
            }
            default -> throw new EnvelopeFormatException("/kind", "a case is opened by notify, request or ping");
        }
        var exercise = body.get("exercise");
        if (exercise != null && !exercise.isBoolean()) {
            throw new EnvelopeFormatException("/body/exercise", "exercise must be a JSON boolean: true marks the case an exercise");
        }
        var window = body.get("window");
        if (window != null) {
            for (String f : List.of("from", "to")) {
                if (window.hasNonNull(f)) {
                    try {
                        Instant.parse(window.get(f).asText());
                    } catch (RuntimeException ex) {
                        throw new EnvelopeFormatException("/body/window/" + f, "must be an RFC 3339 UTC time");
                    }
                }
            }
        }
    }

    private static void requireText(ObjectNode body, String field) {
        if (!body.path(field).isTextual() || body.path(field).asText().isBlank()) {
            throw new EnvelopeFormatException("/body/" + field, field + " is required");
        }
    }

    private String newCaseId() {
        return CaseIds.newId(node.origin(), node.now());
    }
}
