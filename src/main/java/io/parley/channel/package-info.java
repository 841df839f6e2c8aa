/**
 * Channels and their charters: who the members are (with the keys their envelopes must verify under), the level,
 * deadlines per priority, the TLP ceiling and the escalation ladder.
 *
 * <p>Invariants: a charter names each member's verifier key; envelope acceptance trusts no other key source. What
 * a refused envelope leaves behind depends on that key: only a refusal whose signature verified under the sender's
 * member key is kept in full (and only such envelopes can make an equivocation); anything else is a bounded summary,
 * capped, so an anonymous caller cannot grow the database ({@link io.parley.channel.Refusals}).
 */
package io.parley.channel;
