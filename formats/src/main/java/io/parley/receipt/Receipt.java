package io.parley.receipt;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import io.parley.log.TlogProof;

/**
 * Proof that a node logged an envelope: the node's signed (and, when available, cosigned) checkpoint and an
 * inclusion proof of the envelope's log entry (the SHA-256 of its canonical bytes), in C2SP tlog-proof form.
 */
public record Receipt(String origin, String envelopeHash, long index, TlogProof proof) {

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("origin", origin);
        o.put("envelope_hash", envelopeHash);
        o.put("index", index);
        o.put("tlog_proof", proof.encode());
        return o;
    }
}
