package io.parley.audit;

/** What an audit record is about; {@link #code()} is what the record, the API and the admin page show. */
public enum AuditAction {
    SIGN_IN("sign-in"),
    SIGN_OUT("sign-out"),
    SECOND_FACTOR("second-factor"),
    USER_CREATED("user-created"),
    USER_CHANGED("user-changed"),
    USER_DISABLED("user-disabled"),
    CHARTER_PROPOSED("charter-proposed"),
    CHARTER_SIGNED("charter-signed"),
    CHARTER_AMENDED("charter-amended"),
    EXPORT("export"),
    RED_GRANT("red-grant"),
    TOKEN_CREATED("token-created"),
    TOKEN_REVOKED("token-revoked"),
    PEER_PINNED("peer-pinned"),
    /** This party re-confirmed its points of contact to its channels (target: the channels). */
    CONTACTS_CONFIRMED("contacts-confirmed"),
    /** A peer's key rotation was followed: its new card carried a hand-over by the key we knew (in band or fetched). */
    PEER_KEY_ROTATED("peer-key-rotated"),
    /** A signed-in account asked for something its role or grants do not allow (refused). */
    ACCESS_DENIED("access-denied"),
    /** The node committed the trail's head to its transparency log (target: the head's seq, detail: hash and index). */
    HEAD_COMMITTED("audit-head-committed");

    private final String code;

    AuditAction(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static java.util.Optional<AuditAction> ofCode(String code) {
        for (AuditAction a : values()) {
            if (a.code.equals(code)) return java.util.Optional.of(a);
        }
        return java.util.Optional.empty();
    }
}
