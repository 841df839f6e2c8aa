package io.parley.taxii;

import java.time.Clock;

/**
 * The evidence parts of one node, built over the same stores and the same charters: what comes in
 * ({@link EvidenceIngest}), what may go out ({@link EvidenceAccess}) and what correlates ({@link EvidenceCorrelation}).
 */
public record Evidence(EvidenceStore store, TaxiiStore taxii, Audiences audiences,
                       EvidenceIngest ingest, EvidenceAccess access, EvidenceCorrelation correlation) {

    public static Evidence of(EvidenceStore store, TaxiiStore taxii, ChannelDirectory channels, String self, Clock clock) {
        Audiences audiences = new Audiences(channels, self);
        return new Evidence(store, taxii, audiences, new EvidenceIngest(store, taxii, audiences, clock),
                new EvidenceAccess(store, taxii, audiences), new EvidenceCorrelation(store, audiences));
    }
}
