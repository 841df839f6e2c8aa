/**
 * Starting and stopping whole nodes: a {@link io.parley.node.Node} with its HTTP server (and, later, its
 * background workers), and the local demo network.
 */
package io.parley.server;
