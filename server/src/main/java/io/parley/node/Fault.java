package io.parley.node;

/**
 * One fault in what a caller asked for, located by an RFC 6901 JSON pointer into its request: what a refused draft
 * ({@link OutgoingCheck.Refused}) and refused evidence ({@code taxii.EvidenceException}) list, and what the problem
 * answer shows per field.
 */
public record Fault(String pointer, String detail) {}
