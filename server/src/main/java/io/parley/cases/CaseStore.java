package io.parley.cases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.parley.store.Database;
import io.parley.timeline.CaseTimeline;

/**
 * The {@code cases} projection (one row per case and channel, derived from the case's envelopes so that lists and
 * the deadline clock need not replay every case), the {@code escalations} record of the rungs this node fired, and the
 * {@code hold_reminders} this node sent before preservation holds end.
 * The envelopes stay the truth: a row can always be computed again from them.
 *
 * <p>Contract, the same on SQLite and PostgreSQL: every write is one statement in its own transaction, so it is
 * atomic, and durable when the call returns (see {@link io.parley.store}). Reads see every write that returned before
 * them. Database faults surface as {@link io.parley.store.StoreException}; no method throws for a missing row.
 * Thread-safe.
 */
public final class CaseStore {
    private static final String COLUMNS = "opened_by, opening_hash, kind, request_type, priority, tlp, summary, state, opened_at, "
            + "ack_due, answer_due, acked_at, answered_at, closed_at, updated_at, channel, id";

    private final Database db;

    public CaseStore(Database db) {
        this.db = db;
    }

    /**
     * Writes the row of case {@code t} as of {@code updatedAt}, inserting or replacing it in one statement (so two
     * writers of one case never leave a half-written row or a duplicate; the later write wins). Idempotent.
     */
    public void put(CaseTimeline t, Instant updatedAt) {
        StringBuilder set = new StringBuilder();
        for (String column : COLUMNS.split(", ")) {
            if (column.equals("channel") || column.equals("id")) continue;
            set.append(set.isEmpty() ? "" : ", ").append(column).append(" = excluded.").append(column);
        }
        db.update("INSERT INTO cases (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (channel, id) DO UPDATE SET " + set,
                t.openedBy(), t.openingHash(), t.kind().wire(), t.requestType(), t.priority().wire(), t.tlp().wire(), t.summary(),
                t.state().wire(), t.openedAt().toEpochMilli(), t.ackDue().toEpochMilli(), t.answerDue().toEpochMilli(),
                millis(t.ackedAt()), millis(t.answeredAt()), millis(t.closedAt()), updatedAt.toEpochMilli(), t.channel(), t.caseId());
    }

    /** The channels that hold a case with id {@code caseId}, in name order (empty when none does). */
    public List<String> channelsWith(String caseId) {
        return db.query("SELECT channel FROM cases WHERE id = ? ORDER BY channel", rs -> rs.getString(1), caseId);
    }

    /**
     * Up to {@code limit} cases, newest opening first (ties by channel, then id), of one channel and one state when
     * those are not null.
     */
    public List<CaseKey> list(String channel, String state, int limit) {
        StringBuilder sql = new StringBuilder("SELECT channel, id FROM cases WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (channel != null) {
            sql.append(" AND channel = ?");
            args.add(channel);
        }
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state);
        }
        sql.append(" ORDER BY opened_at DESC, channel, id LIMIT ?");
        args.add(limit);
        return db.query(sql.toString(), CaseStore::key, args.toArray());
    }

    /** Every case not yet closed or retracted, oldest opening first: what the deadline clock watches. */
    public List<CaseKey> unfinished() {
        return db.query("SELECT channel, id FROM cases WHERE state NOT IN ('closed', 'retracted') ORDER BY opened_at, channel, id",
                CaseStore::key);
    }

    /**
     * Records that this node fired rung {@code rung} of the {@code deadline} ladder of a case at {@code firedAt}, with
     * the escalate envelope it signed (null if the Composer refused it). Idempotent: true when this call recorded it,
     * false when that rung was already on record (whose row is then left as it was).
     */
    public boolean recordEscalation(String channel, String caseId, String deadline, int rung, Instant firedAt, String envelopeHash) {
        return db.update("INSERT INTO escalations (channel, case_id, deadline, rung, fired_at, envelope_hash) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", channel, caseId, deadline, rung, firedAt.toEpochMilli(), envelopeHash) == 1;
    }

    /**
     * Records that this node reminds its people, {@code daysBefore} days ahead, of the end at {@code holdUntil} of the
     * preservation hold of a case. Idempotent: true only for the call that recorded it, which then sends the reminder;
     * a hold extended to a new end gets reminders of its own.
     */
    public boolean recordHoldReminder(String channel, String caseId, Instant holdUntil, int daysBefore, Instant sentAt) {
        return db.update("INSERT INTO hold_reminders (channel, case_id, hold_until, days_before, sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                channel, caseId, holdUntil.toEpochMilli(), daysBefore, sentAt.toEpochMilli()) == 1;
    }

    private static CaseKey key(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CaseKey(rs.getString(1), rs.getString(2));
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
