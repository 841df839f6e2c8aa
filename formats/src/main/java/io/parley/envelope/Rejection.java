package io.parley.envelope;

/**
 * Why an envelope was refused. Each reason is a value with a stable machine-readable {@link #code()}, mapped once to
 * problem+json at the HTTP edge and to one line at the CLI edge.
 */
public sealed interface Rejection {
    String code();

    String detail();

    /** The HTTP status a peer gets for this reason: 4xx only, since each is the sender's fault. */
    int httpStatus();

    record Malformed(String field, String message) implements Rejection {
        public String code() { return "malformed"; }
        public String detail() { return field.isEmpty() ? message : field + ": " + message; }
        public int httpStatus() { return 400; }
    }

    record UnknownChannel(String channel) implements Rejection {
        public String code() { return "unknown-channel"; }
        public String detail() { return "no channel '" + channel + "' is known here"; }
        public int httpStatus() { return 404; }
    }

    record NotMember(String from, String channel) implements Rejection {
        public String code() { return "not-member"; }
        public String detail() { return from + " is not a member of channel " + channel; }
        public int httpStatus() { return 403; }
    }

    record BadSignature(String from) implements Rejection {
        public String code() { return "bad-signature"; }
        public String detail() { return "the signature does not verify under the charter key of " + from; }
        public int httpStatus() { return 403; }
    }

    record TlpAboveCeiling(Tlp tlp, Tlp ceiling) implements Rejection {
        public String code() { return "tlp-above-ceiling"; }
        public String detail() { return "TLP:" + tlp.wire().toUpperCase() + " exceeds the channel ceiling TLP:" + ceiling.wire().toUpperCase(); }
        public int httpStatus() { return 422; }
    }

    /** An object of the envelope's inline STIX bundle is marked above the channel's TLP ceiling. */
    record InlineAboveCeiling(String pointer, Tlp tlp, Tlp ceiling) implements Rejection {
        public String code() { return "tlp-above-ceiling"; }
        public String detail() { return pointer + ": the inline STIX object is marked TLP:" + tlp.wire().toUpperCase() + ", above the channel ceiling TLP:" + ceiling.wire().toUpperCase(); }
        public int httpStatus() { return 422; }
    }

    /** An object of the envelope's inline STIX bundle is marked above the envelope's own label. */
    record InlineAboveLabel(String pointer, Tlp tlp, Tlp label) implements Rejection {
        public String code() { return "stix-above-label"; }
        public String detail() { return pointer + ": the inline STIX object is marked TLP:" + tlp.wire().toUpperCase() + ", above the envelope's label TLP:" + label.wire().toUpperCase(); }
        public int httpStatus() { return 422; }
    }

    record ChainGap(String from, long expectedSeq, long gotSeq) implements Rejection {
        public String code() { return "chain-gap"; }
        public String detail() { return "expected seq " + expectedSeq + " from " + from + " but got " + gotSeq + "; envelopes " + expectedSeq + ".." + (gotSeq - 1) + " are missing"; }
        public int httpStatus() { return 409; }
    }

    record ChainBreak(String from, long seq, String expectedPrev, String gotPrev) implements Rejection {
        public String code() { return "chain-break"; }
        public String detail() { return "seq " + seq + " from " + from + " names prev " + gotPrev + " but the previous envelope is " + expectedPrev; }
        public int httpStatus() { return 409; }
    }

    record Equivocation(String from, long seq, String keptHash, String conflictingHash) implements Rejection {
        public String code() { return "equivocation"; }
        public String detail() { return from + " signed two different envelopes with seq " + seq + " (" + keptHash + " and " + conflictingHash + "); both are kept as proof and the sender is flagged"; }
        public int httpStatus() { return 409; }
    }

    /** A charter names a party under a key other than the one pinned for it here (an impostor of a third party). */
    record KeyMismatch(String party, String why) implements Rejection {
        public String code() { return "key-mismatch"; }
        public String detail() { return why; }
        public int httpStatus() { return 422; }
    }

    /**
     * An opening envelope (notify, request, ping) whose case id is not bound to its sender ({@link CaseIds}): another
     * party's case, or an id nobody's software made. Opening it would let the sender claim another member's case.
     */
    record CaseNotYours(String caseId, String from) implements Rejection {
        public String code() { return "case-not-yours"; }
        public String detail() { return "case id '" + caseId + "' is not bound to " + from + ": a case is opened only with an id made for its opener"; }
        public int httpStatus() { return 422; }
    }

    record KindNotAccepted(String kind, String why) implements Rejection {
        public String code() { return "kind-not-accepted"; }
        public String detail() { return "kind " + kind + " is not accepted here: " + why; }
        public int httpStatus() { return 422; }
    }

    /** A TLP:RED envelope that does not name this node: its content is not ours to hold (we take the sender's notice). */
    record NotRecipient(String from, long seq) implements Rejection {
        public String code() { return "not-recipient"; }
        public String detail() { return "seq " + seq + " from " + from + " is TLP:RED and does not name this node among its recipients; send the signed withheld notice instead"; }
        public int httpStatus() { return 403; }
    }
}
