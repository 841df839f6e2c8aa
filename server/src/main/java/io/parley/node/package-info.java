/**
 * A running node: its directory layout and configuration, and the wiring of identity, storage, acceptance and the
 * HTTP server.
 *
 * <p>Invariant: {@link io.parley.node.Composer} is the only writer of this node's own chains, and it writes through
 * the same {@link io.parley.channel.EnvelopeAcceptor} that peers' envelopes pass, so our own envelopes obey the
 * same rules we enforce on others. Before signing, the Composer runs every {@link io.parley.node.OutgoingCheck}
 * (evidence and markings: {@link io.parley.taxii.OutgoingEvidence}; a TLP:RED case's steps stay RED and among its
 * parties: {@link io.parley.node.RedCaseSteps}), so no route that writes envelopes can bypass them.
 */
package io.parley.node;
