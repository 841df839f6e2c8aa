/**
 * The hotline workflow: cases opened by a notification, a request or a ping, their lifecycle, deadlines from the
 * channel charter, escalation along the charter's ladder, ping tests and responsiveness reports.
 *
 * <p>Invariant: everything about a case is a function of its signed envelopes and the charter
 * ({@link io.parley.cases.CaseTimeline}); times are the signed {@code created} times, so every member (and an offline
 * verifier of an exported bundle) computes the same states, deadlines, met and missed. The {@code cases} table is
 * only a projection of that function for listing and for the deadline clock.
 */
package io.parley.cases;
