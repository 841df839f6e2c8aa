/**
 * The case timeline (DESIGN §5) as a pure function of signed envelopes and a charter.
 *
 * <p>{@link io.parley.timeline.CaseTimeline} takes a case's envelopes and the charter in force and returns the case's
 * state ({@link io.parley.timeline.CaseState}), its events, and every deadline with whether it was met or missed
 * ({@link io.parley.timeline.DeadlineStatus}). It reads no clock but the one passed in, no database and no network.
 *
 * <p>Invariant: every member node and the offline verifier compute the same timeline from the same envelopes, because
 * they run this same code on the signed {@code created} times; the server's {@code cases} table is only a projection
 * of it for listing and for the deadline clock.
 *
 * <p>Answer decisions ({@link io.parley.timeline.Decision}, with the published {@link io.parley.timeline.ReasonCode}
 * list) are read by one rule that a node applies before signing its own ack and before accepting a peer's, and that
 * the timeline applies again, so a decision that is ill-formed, comes from the opener or from a member the case does
 * not address moves no deadline anywhere, the offline verifier included.
 */
package io.parley.timeline;
