/**
 * The {@code parley} command line (picocli). Invariant: bad input or a failure prints exactly one line
 * ({@code parley: <what is wrong>}) on stderr and exits non-zero; stack traces only with {@code --debug}.
 */
package io.parley.cli;
