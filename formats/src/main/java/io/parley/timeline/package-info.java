/**
 * The case timeline (DESIGN §5) as a pure function of signed envelopes and a charter.
 *
 * <p>{@link io.parley.timeline.CaseTimeline} takes a case's envelopes and the charter in force and returns the case's
 * state ({@link io.parley.timeline.CaseState}), its events, and every deadline with whether it was met or missed
 * ({@link io.parley.timeline.DeadlineStatus}). It reads no clock but the one passed in, no database and no network.
 * {@link io.parley.timeline.Silence} says, as purely, which parties missed a deadline and whether a stretch of a party's
 * chain proves it sent no response in time.
 *
 * <p>Time honesty: a sender's {@code created} is its own word. Given the recipients' log times
 * ({@link io.parley.timeline.LoggedAt}, each a signed {@link io.parley.receipt.LogTime}), an envelope whose earliest
 * recipient log time differs from its {@code created} by more than the charter's clock skew counts at that log time
 * and is a {@link io.parley.timeline.ClockFinding}; without a log time, or within the tolerance, {@code created}
 * stands.
 *
 * <p>Invariant: every member node and the offline verifier compute the same timeline from the same envelopes, because
 * they run this same code on the signed {@code created} times and the same signed log times; the server's {@code cases} table is only a projection
 * of it for listing and for the deadline clock.
 *
 * <p>Answer decisions ({@link io.parley.timeline.Decision}, with the published {@link io.parley.timeline.ReasonCode}
 * list) are read by one rule that a node applies before signing its own ack and before accepting a peer's, and that
 * the timeline applies again, so a decision that is ill-formed, comes from the opener or from a member the case does
 * not address moves no deadline anywhere, the offline verifier included.
 *
 * <p>What a case says about norms ({@link io.parley.timeline.CaseNorms}: its incident category, the charter
 * commitments it cites, and a preservation request's {@link io.parley.timeline.PreservationHold}) is read from the
 * envelopes by the same rules on every node and in the verifier. Those rules are lenient where the node's own checks
 * before signing are strict (a citation the charter does not list is ignored, a hold shorter than 60 days holds for
 * 60, an extension by anyone but the opener changes nothing), so a dishonest member's envelope is on record and moves
 * nothing, and no rule depends on the version of the catalogues shipped with Parley.
 *
 * <p>Courtesy translations ({@link io.parley.timeline.CourtesyTranslation}) are read by one rule too: the node before
 * signing, the inbox (their shape), the timeline and the verifier (which count, next to which original). A translation
 * is its signer's word beside the original, never instead of it, and no response to the case.
 */
package io.parley.timeline;
