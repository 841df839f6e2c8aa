package io.parley.store;

/** The newest envelope of one sender's chain in one channel. */
public record ChainHead(long seq, String hash) {}
