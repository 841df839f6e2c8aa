/**
 * Signed envelopes (DESIGN §2): the one message format every node signs, sends, accepts and logs.
 *
 * <p>Invariants: an envelope's signature covers the RFC 8785 canonical form of the envelope without {@code sig};
 * its id is the SHA-256 of the canonical form with {@code sig}. {@code sig} has one accepted spelling (canonical
 * padded base64, see {@link io.parley.identity.CanonicalBase64}) and Bouncy Castle refuses S >= L, so one signature
 * is one id: a re-encoded copy of a genuine envelope is malformed, never a second envelope. Equivocation is two
 * verifying envelopes whose signed content differs. A node's envelope acceptor (the server's
 * {@code io.parley.channel.EnvelopeAcceptor}) is the only way an envelope enters a store, and it accepts one only if the signature verifies under the sender's key in
 * the channel charter, the sender is a member, the TLP is within the ceiling and (seq, prev) extend the sender's
 * chain. Two different validly signed envelopes for one (channel, from, seq) are both kept as proof. An envelope that
 * opens a case (notify, request, ping) carries a case id bound to its sender ({@link io.parley.envelope.CaseIds}).
 *
 * <p>TLP:RED goes only to the members {@code body.recipients} names; every other member gets a
 * {@link io.parley.envelope.WithheldNotice} instead: the sender's signature, under its own signing context (never
 * valid as an envelope signature, nor the other way round), over the RED envelope's chain position and hash and no
 * content. A notice holds its chain position exactly like an envelope: a second, different signed statement for it
 * (notice or envelope) is equivocation, and an unsigned or forged notice is refused before it can occupy anything.
 */
package io.parley.envelope;
