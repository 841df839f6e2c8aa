/**
 * Channels and their charters: who the members are (with the keys their envelopes must verify under), the level,
 * deadlines per priority, the TLP ceiling and the escalation ladder.
 *
 * <p>Invariants: a charter names each member's verifier key; envelope acceptance trusts no other key source. Terms
 * take effect here only if every key they name is the key pinned for that party (peering), so no member can bring an
 * impostor of a third party into a channel; this node signs only terms whose hash its operator reviewed. A channel's
 * history goes to peers only if they are members of the charter in force of the active channel. What a refused
 * envelope leaves behind depends on the member key: only a refusal whose signature verified under the sender's
 * member key is kept in full (and only such envelopes can make an equivocation); anything else is a bounded summary,
 * capped, so an anonymous caller cannot grow the database ({@link io.parley.channel.Refusals}).
 *
 * <p>TLP:RED ({@link io.parley.channel.RedRecipients}): a RED envelope names its recipients, members other than its
 * sender, or it is malformed; our own is queued only for them (the others get our signed withheld notice); a peer's
 * that does not name us is refused and only its hash and size are kept; a notice that names us never stands in for
 * the envelope (a recipient needs the envelope itself): it is refused unless we already hold exactly the envelope it
 * states, and is then kept beside it, so a case bundle can carry the notice instead of that RED envelope when the
 * envelope is not part of the case. Our own RED envelopes keep our notice the same way, and it is delivered to their
 * named recipients right after them.
 */
package io.parley.channel;
