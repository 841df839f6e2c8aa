/**
 * JSON handling: the shared Jackson mapper and {@link io.parley.json.Jcs}, our RFC 8785 canonicalization.
 *
 * <p>Invariants: every byte sequence that is hashed or signed comes from {@link io.parley.json.Jcs}; equal JSON values
 * give equal bytes, and canonical output parses back (with {@link io.parley.json.Jcs#parse}) to a value with the same
 * canonical bytes. Input with no single canonical form (duplicate names, lone surrogates, NaN or infinities, integers
 * that canonicalization would change) is rejected with {@link IllegalArgumentException}, never silently altered.
 *
 * <p>Test vectors: the RFC 8785 samples (§3.2.2 to §3.2.4 and the Appendix B number table) in {@code JcsTest}.
 */
package io.parley.json;
