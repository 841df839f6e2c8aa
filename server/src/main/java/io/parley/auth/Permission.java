package io.parley.auth;

/**
 * What a request needs of its caller. Every route and web action declares one in {@link Permissions}; a route
 * without one is refused.
 */
public sealed interface Permission {

    /** Served without a local account: public material, or a peer's request authenticated by its signature. */
    record Public(String why) implements Permission {}

    /** Node-wide permissions, not tied to one channel. */
    enum Global implements Permission {
        /** Read what the marking policy lets the account read; never changes anything. */
        READ,
        /** Manage one's own sign-in: the second factor and signing out. Every role holds it; it reaches no one else's account. */
        OWN_ACCOUNT,
        /** Store evidence (STIX, MISP) locally and push it to writable TAXII collections. */
        UPLOAD_EVIDENCE,
        /**
         * Issue, list and revoke one's own bearer tokens (an admin: everyone's). Never exercised through a token
         * ({@link Tokens#scopeRefusal}).
         */
        ISSUE_TOKENS,
        /** Pin, add and refresh peers. */
        MANAGE_PEERS,
        /** Propose new channels (a charter not yet tied to any granted channel). */
        PROPOSE_CHANNELS,
        /** Create, disable and change accounts, roles and channel grants. */
        MANAGE_USERS,
        /** Grant and revoke TLP:RED reading. */
        GRANT_RED,
        /** Read the audit trail (who did what, when, from where) and its verification. */
        READ_AUDIT,
        /** Re-confirm, in this party's name and to every channel, that its points of contact are current. */
        CONFIRM_CONTACTS
    }

    /**
     * Handling one channel: opening, answering and closing its cases, sending its messages and pings, signing and
     * amending its charter. The channel is named by the request, as {@link ChannelFrom} says.
     */
    record OnChannel(ChannelFrom from) implements Permission {}

    /** Where a request names its channel. */
    enum ChannelFrom {
        /** The path parameter {@code {id}} is the channel. */
        CHANNEL_PATH,
        /** The path parameter {@code {id}} is a case (with {@code ?channel=} when ambiguous); its channel counts. */
        CASE_PATH,
        /** The query parameter {@code channel} (a list or report of one channel); without it the request spans channels. */
        CHANNEL_QUERY
    }
}
