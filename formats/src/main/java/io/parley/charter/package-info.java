/**
 * Charters (DESIGN §2): the terms a channel exists under, which every member signs.
 *
 * <p>Format: a charter is a JSON object ({@link io.parley.charter.Charter#toJson()}): channel id, members (origin
 * and Ed25519 key each), level, TLP ceiling, deadlines per priority, escalation ladder. Its hash
 * ({@link io.parley.charter.Charter#hash()}) is the hex SHA-256 of its RFC 8785 form. Charter envelopes
 * ({@link io.parley.charter.CharterAction}) propose, amend or sign terms; a signature names the terms by hash.
 *
 * <p>Invariants: terms are in force only when every member they name has signed exactly those bytes; a proposal or
 * amendment counts as its author's signature; a charter envelope for one channel can never carry another channel's
 * terms. Deciding which terms are in force over time needs a node's state and lives in the server
 * ({@code io.parley.channel.CharterBook}); this package is the format, shared with the offline verifier.
 */
package io.parley.charter;
