/**
 * Evidence: the pure, storage-free library for the STIX 2.1 bundles that CERTs exchange through Parley.
 *
 * <p>Everything here is a function of its input: {@link io.parley.evidence.StixValidator} checks a bundle against the
 * official OASIS schemas (shipped on the classpath, never fetched) plus the rules a schema cannot express, patterns
 * included ({@link io.parley.evidence.StixPatterns}: the official OASIS ANTLR grammar, with length and depth caps);
 * {@link io.parley.evidence.TlpMarking} reads TLP 2.0 / TLP 1.0 / PAP markings and redacts a bundle down to what a
 * recipient may see; {@link io.parley.evidence.Indicators} pulls normalised observables out for correlation;
 * {@link io.parley.evidence.MispImport}, {@link io.parley.evidence.MispExport} and
 * {@link io.parley.evidence.IodefExport} translate to and from the formats partner CERTs already run.
 *
 * <p>Nothing here touches the network, the disk (beyond classpath resources) or a database, so every path that lets
 * data out can call it without side effects.
 */
package io.parley.evidence;
