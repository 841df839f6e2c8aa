package io.parley.cases;

/**
 * What names a case: its channel and its id. An id alone is not enough, since its opener may use it in several
 * channels (ids are bound to their opener, {@link io.parley.envelope.CaseIds}); nothing in one channel may move a
 * case of another.
 */
public record CaseKey(String channel, String id) {}
