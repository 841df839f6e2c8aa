/**
 * The hotline workflow: cases opened by a notification, a request or a ping, their lifecycle, deadlines from the
 * channel charter, escalation along the charter's ladder, ping tests and responsiveness reports.
 *
 * <p>Invariant: everything about a case is a function of its signed envelopes and the charter
 * ({@link io.parley.timeline.CaseTimeline}); times are the signed {@code created} times, except that a message dated
 * beyond the charter's clock skew from the recipients' signed log times counts at its log time
 * ({@link io.parley.cases.LogTimes}: ours for what we received, the receipts' for what we sent). A member computes the
 * same states, deadlines, met and missed from the same envelopes and log times, and an offline verifier from the
 * bundle, which carries both. Each node holds the log times it has: its own, and its receipts'. The {@code cases} table is
 * only a projection of that function for listing and for the deadline clock.
 *
 * <p>A case is named by (channel, case id) ({@link io.parley.cases.CaseKey}): nothing sent in one channel moves a
 * case of another. A case id is made for its opener ({@link io.parley.envelope.CaseIds}): an opening whose id is not
 * bound to its sender is refused on arrival and never counts as an opening, so no member can become the opener of
 * another member's case by sending an earlier-dated opening with its id. Only the opener closes or retracts a case.
 *
 * <p>What this node signs about norms is checked before signing ({@code NormsCheck}: a known category, commitments the
 * charter lists, a hold of at least 60 days extended only by its opener); the figures per commitment and category
 * ({@link io.parley.cases.NormsReport}) and the reminders before a preservation hold ends ({@code HoldReminders}, once
 * per hold end and lead time, decided by an insert in {@code hold_reminders}) follow from the timelines.
 *
 * <p>When a party lets a deadline of a case this node opened pass, {@link io.parley.cases.SilencePins} pings it once
 * (outside any case, so the automatic pong never counts as a response) so that a message it signed after the deadline
 * pins its chain and the case bundle can prove its silence.
 */
package io.parley.cases;
