package io.parley.taxii;

/** Runs the envelope indexer to completion without a node or its worker thread. */
final class EvidenceWorkerHarness {
    private EvidenceWorkerHarness() {}

    static void indexAll(Evidence svc) {
        while (svc.ingest().indexEnvelopes(200, () -> false).more()) {
            // next batch
        }
    }

    /** Indexes every envelope again from the start (indexing is idempotent). */
    static void reindex(Evidence svc) {
        svc.store().db().update("DELETE FROM evidence_cursor");
        indexAll(svc);
    }
}
