/**
 * What Parley ships about the norms a hotline works under: the catalogue of commitments a charter may list
 * ({@link io.parley.norms.CommitmentCatalogue}: UN GGE 2015 norms, OSCE CBMs, Budapest Convention articles) and the
 * incident taxonomy cases are classified by ({@link io.parley.norms.IncidentTaxonomy}: RSIT plus influence operations
 * and connectivity shutdowns).
 *
 * <p>Both are JSON resources beside these classes, read once and never changed at run time. Invariant: entries are
 * only ever added, never renamed or removed, because charters and envelopes signed under one version must still read
 * under every later one. For the same reason nothing that parses signed documents ({@code Charter.fromJson},
 * {@code CaseTimeline}) refuses an id these lists do not hold: the node refuses unknown ids only in what it is asked to
 * sign itself.
 */
package io.parley.norms;
