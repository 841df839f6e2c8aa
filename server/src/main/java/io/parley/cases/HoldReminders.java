package io.parley.cases;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.PreservationHold;

/**
 * Reminds the people on duty here, {@link #LEAD_DAYS} days before a preservation hold ends, so the requesting side can
 * extend it in time and the requested side knows when it may let the data go. Each reminder is recorded in
 * {@code hold_reminders} before it is sent, and only the call that recorded it sends it: once per hold end and lead
 * time, across restarts and across instances sharing the database.
 */
final class HoldReminders {
    private static final Logger LOG = LoggerFactory.getLogger(HoldReminders.class);
    /** How many days before a hold ends each reminder goes out. */
    static final List<Integer> LEAD_DAYS = List.of(7, 1);

    private final CaseBook cases;
    private final Notifier notifier;

    HoldReminders(CaseBook cases, Notifier notifier) {
        this.cases = cases;
        this.notifier = notifier;
    }

    /** One pass over the unfinished cases at {@code now}; returns how many reminders this call sent. */
    int tick(Instant now) {
        int sent = 0;
        for (CaseKey key : cases.unfinished()) {
            try {
                CaseTimeline t = cases.timeline(key).orElse(null);
                PreservationHold h = t == null ? null : t.norms().hold();
                if (h == null || h.state(now) != PreservationHold.State.ACTIVE) continue;
                for (int days : LEAD_DAYS) {
                    if (now.isBefore(h.until().minus(Duration.ofDays(days)))) continue;
                    if (!cases.store().recordHoldReminder(t.channel(), t.caseId(), h.until(), days, now)) continue;
                    ObjectNode event = Json.object().put("event", "preservation-hold-ending").put("case", t.caseId()).put("channel", t.channel())
                            .put("opened_by", t.openedBy()).put("hold_until", h.until().toString()).put("days_before", days).put("detected_at", now.toString());
                    notifier.notify(t.caseId(), t.channel(), Notice.of("hold", t.caseId(), h.until(), days, t.openedBy(), t.channel()), event);
                    sent++;
                }
            } catch (RuntimeException e) {
                // one case that cannot be judged never stops the reminders of the others
                LOG.warn("hold reminder check of case {} failed: {}", key, e.toString());
            }
        }
        return sent;
    }
}
