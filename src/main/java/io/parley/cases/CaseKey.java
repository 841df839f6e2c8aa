package io.parley.cases;

/**
 * What names a case: its channel and the id its opener chose. An id alone is not enough, since any member of any
 * channel can pick an id already used in another channel; nothing in one channel may move a case of another.
 */
public record CaseKey(String channel, String id) {}
