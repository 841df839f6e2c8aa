/**
 * The hotline workflow: cases opened by a notification, a request or a ping, their lifecycle, deadlines from the
 * channel charter, escalation along the charter's ladder, ping tests and responsiveness reports.
 *
 * <p>Invariant: everything about a case is a function of its signed envelopes and the charter
 * ({@link io.parley.cases.CaseTimeline}); times are the signed {@code created} times, so every member (and an offline
 * verifier of an exported bundle) computes the same states, deadlines, met and missed. The {@code cases} table is
 * only a projection of that function for listing and for the deadline clock.
 *
 * <p>A case is named by (channel, case id) ({@link io.parley.cases.CaseKey}): its opener chooses the id, so the same
 * id may exist in several channels, and nothing sent in one channel moves a case of another. Only the opener closes
 * or retracts a case.
 */
package io.parley.cases;
