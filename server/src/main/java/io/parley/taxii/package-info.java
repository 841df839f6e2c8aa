/**
 * Evidence exchange on a node: the evidence store, the TAXII 2.1 server, correlation and the evidence API.
 *
 * <ul>
 *   <li>{@link io.parley.taxii.EvidenceIngest}: bundles validated and stored by the SHA-256 of their RFC 8785 form,
 *       indexed per sharing context ({@link io.parley.taxii.EvidenceContext}) into TAXII collections
 *       ({@code stix_objects}) and into the correlation index ({@code observables}).</li>
 *   <li>{@link io.parley.taxii.EvidenceAccess}: what a local user may read, what a peer may fetch, what may be shared
 *       on; {@link io.parley.taxii.EvidenceCorrelation}: sightings and correlated cases, as far as the reader may see.
 *       Every read and share decision goes through {@link io.parley.evidence.MarkingPolicy}, with audiences from the
 *       charters ({@link io.parley.taxii.Audiences}). {@link io.parley.taxii.Evidence} holds the three for a node.</li>
 *   <li>{@link io.parley.taxii.TaxiiService} and {@link io.parley.taxii.TaxiiStore}: TAXII 2.1 collections (one per
 *       channel of this node, plus the own-sharing collection) with keyset paging in SQL.</li>
 *   <li>{@link io.parley.taxii.EvidenceWorker}: indexes every stored envelope (a durable cursor over the envelopes
 *       table, woken by {@link io.parley.node.Node#onAccepted}) and fetches bundles that received envelopes name by
 *       hash from their sender over {@code /federation/v1/evidence/}.</li>
 *   <li>{@link io.parley.taxii.EvidenceRetractions}: a signed {@code retract} withdraws evidence its sender shared (one
 *       bundle, or all it shared in the case it opened) on every member node: revoked STIX versions on TAXII, out of
 *       correlation and of MISP/IODEF export; {@link io.parley.taxii.EvidenceWithdrawal} signs those retracts. Only
 *       what the retract's own sender shared is ever withdrawn.</li>
 *   <li>{@link io.parley.taxii.CaseEvidence}: the STIX objects of one case as a reader may see them, each judged in
 *       the sharing it came in; {@link io.parley.taxii.EvidenceExports}: a held bundle as STIX, MISP and IODEF for a
 *       reader, the one place both the API and the web UI's evidence page export from; {@link io.parley.taxii.MispFeed}:
 *       a channel's shared evidence as a MISP feed through the same export, judged in that channel's sharings
 *       ({@code /api/v1/channels/{id}/misp-feed/}).</li>
 *   <li>{@link io.parley.taxii.OutgoingEvidence}: the evidence and marking rules every envelope this node writes
 *       passes, run by the Composer before signing.</li>
 *   <li>{@link io.parley.taxii.ServedEvidence}: a bundle named by hash is served whole or not at all, with the
 *       server's signed statement of what it served; a recipient keeps a signed mismatch as proof against the sender
 *       ({@code evidence_mismatches}) and never stores those bytes as the evidence named.</li>
 *   <li>{@link io.parley.taxii.EvidenceExchange}: wires it all into the HTTP server ({@code /api/v1/evidence…},
 *       {@code /api/v1/correlations/…}, {@code /taxii2/…}).</li>
 * </ul>
 */
package io.parley.taxii;
