/**
 * Channels and their charters: who the members are (with the keys their envelopes must verify under), the level,
 * deadlines per priority, the TLP ceiling and the escalation ladder.
 *
 * <p>Invariant: a charter names each member's verifier key; envelope acceptance trusts no other key source.
 */
package io.parley.channel;
