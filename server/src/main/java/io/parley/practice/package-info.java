/**
 * The charter's practice terms carried out on this node: scheduled ping exercises ({@link io.parley.practice.PingExercises})
 * and points of contact kept alive ({@link io.parley.practice.ContactConfirmations}, {@link io.parley.practice.ContactReminders}).
 *
 * <p>Invariants: every scheduled act happens at most once per slot, whatever restarts or instances sharing one
 * database do ({@link io.parley.practice.PracticeStore#claim}); a re-confirmation is its sender's own signed envelope,
 * so no member confirms for another; who is overdue follows from signed envelopes and the charter, so every member's
 * desk shows the same.
 */
package io.parley.practice;
