package io.parley.practice;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.cases.Notifier;
import io.parley.json.Json;
import io.parley.node.Node;

/**
 * Tells the people on duty here, through the {@link Notifier}, that our points of contact are due for re-confirmation
 * in a channel (a quarter of the period before, at most two weeks before) and again once they are overdue. Each
 * reminder is a claimed slot ({@link PracticeStore#claim}, keyed by the due time), so it goes out once however often
 * the clock ticks, the node restarts or instances share the database.
 */
public final class ContactReminders {
    static final Duration MAX_LEAD = Duration.ofDays(14);

    private final Node node;
    private final ContactConfirmations contacts;
    private final PracticeStore store;
    private final Notifier notifier;

    public ContactReminders(Node node, ContactConfirmations contacts, PracticeStore store, Notifier notifier) {
        this.node = node;
        this.contacts = contacts;
        this.store = store;
        this.notifier = notifier;
    }

    /** How long before the due time the first reminder goes out. */
    static Duration lead(Duration period) {
        Duration quarter = period.dividedBy(4);
        return quarter.compareTo(MAX_LEAD) < 0 ? quarter : MAX_LEAD;
    }

    /** Sends the reminders that are due; returns how many. */
    public int tick(Instant now) {
        int sent = 0;
        for (ContactConfirmations.Status s : contacts.status(now)) {
            if (!s.party().equals(node.origin())) continue;
            Duration period = Duration.between(s.lastConfirmed(), s.due());
            String act = s.overdue() ? "contacts-overdue" : "contacts-reminder";
            if (!s.overdue() && now.isBefore(s.due().minus(lead(period)))) continue;
            if (!store.claim(s.channel(), act, s.due(), now)) continue;
            io.parley.cases.Notice subject = io.parley.cases.Notice.of(s.overdue() ? "contacts.overdue" : "contacts.due", s.party(), s.channel(), s.due());
            ObjectNode event = ContactConfirmations.json(s).put("event", s.overdue() ? "contacts-overdue" : "contacts-reminder")
                    .put("how", "parley peer confirm-contacts, or POST /api/v1/contacts/confirm, or the button on the account page");
            notifier.notify(null, s.channel(), subject, event);
            sent++;
        }
        return sent;
    }
}
