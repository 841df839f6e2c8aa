/**
 * The standalone case-bundle verifier: {@code parley verify} as its own runnable jar, built from the formats library
 * and picocli only, so an observer, a court or a journalist can check a bundle without running (or trusting) a node.
 */
package io.parley.verifier;
