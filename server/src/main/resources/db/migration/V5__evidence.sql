-- Evidence exchange (issue 7): STIX bundles by content hash, where each was shared, STIX objects per TAXII collection,
-- observables for correlation, TAXII tokens and status resources, RED read grants. Times are epoch milliseconds except
-- stix_objects.date_added and version_key, which are epoch microseconds (TAXII timestamps have microseconds).

-- A bundle, keyed by the lowercase hex SHA-256 of its RFC 8785 (JCS) form, which is also what "bundle" holds.
CREATE TABLE evidence_bundles (
    sha256       TEXT PRIMARY KEY,
    bundle       TEXT NOT NULL,
    bytes        BIGINT NOT NULL,
    object_count INTEGER NOT NULL,
    unmarked_tlp TEXT NOT NULL,     -- the TLP of unmarked objects while the bundle is not in an envelope
    source       TEXT NOT NULL,     -- upload | misp | inline | fetched
    added_by     TEXT NOT NULL,     -- local username, or the origin it came from
    case_id      TEXT,
    created_at   BIGINT NOT NULL
);

-- Each envelope that carried a bundle inline or named one by hash ("evidence": [{"sha256": ...}]).
CREATE TABLE evidence_links (
    envelope_hash   TEXT NOT NULL,
    ref_sha256      TEXT NOT NULL,  -- the hash the envelope names (inline: the hash of the inline bundle)
    channel         TEXT NOT NULL,
    sender          TEXT NOT NULL,
    case_id         TEXT,
    tlp             TEXT NOT NULL,  -- the envelope's label: the TLP of unmarked objects in this context
    recipients      TEXT,           -- JSON array of named recipients (TLP:RED), NULL = every member
    name            TEXT,
    inline_bundle   INTEGER NOT NULL,
    state           TEXT NOT NULL,  -- stored | pending (to fetch from the sender) | failed | invalid
    stored_sha256   TEXT,           -- the bundle held for it (differs from ref_sha256 when the sender redacted it for us)
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    detail          TEXT,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (envelope_hash, ref_sha256)
);
CREATE INDEX evidence_links_ref ON evidence_links (ref_sha256);
CREATE INDEX evidence_links_stored ON evidence_links (stored_sha256);
CREATE INDEX evidence_links_due ON evidence_links (state, next_attempt_at);

-- STIX object versions per TAXII collection, with the effective TLP and audience they were shared under.
CREATE TABLE stix_objects (
    id            ${autoinc},
    collection    TEXT NOT NULL,
    object_id     TEXT NOT NULL,
    type          TEXT NOT NULL,
    spec_version  TEXT NOT NULL,
    version       TEXT NOT NULL,    -- modified, else created, else date_added, as text
    version_key   BIGINT NOT NULL,  -- the same as epoch microseconds
    date_added    BIGINT NOT NULL,  -- strictly increasing per collection (see TaxiiStore)
    tlp_rank      INTEGER NOT NULL, -- 0 clear, 1 green, 2 amber, 3 amber+strict, 4 red
    red_named     INTEGER NOT NULL, -- 1 when the audience names this node (sender or named recipient)
    channel       TEXT,
    envelope_hash TEXT,
    sender        TEXT NOT NULL,
    recipients    TEXT,
    case_id       TEXT,
    object        TEXT NOT NULL,
    UNIQUE (collection, object_id, version_key)
);
CREATE INDEX stix_objects_page ON stix_objects (collection, date_added, id);
CREATE INDEX stix_objects_type ON stix_objects (collection, type, date_added, id);
CREATE INDEX stix_objects_object ON stix_objects (object_id);

-- Normalised observables of every stored bundle in each context it was shared in, for correlation.
CREATE TABLE observables (
    id            ${autoinc},
    obs_type      TEXT NOT NULL,
    value         TEXT NOT NULL,
    sha256        TEXT NOT NULL,    -- the bundle (or taxii:<status id> for objects added over TAXII)
    envelope_hash TEXT NOT NULL,    -- '' when not shared in an envelope
    channel       TEXT NOT NULL,    -- '' for this node's own material
    case_id       TEXT,
    sender        TEXT NOT NULL,
    recipients    TEXT,
    tlp_rank      INTEGER NOT NULL, -- the least restrictive TLP of the objects naming it in that bundle
    seen_at       BIGINT NOT NULL,
    UNIQUE (obs_type, value, sha256, envelope_hash)
);
CREATE INDEX observables_case ON observables (case_id);

-- TAXII bearer tokens (SHA-256 of the token; the token itself is shown once).
CREATE TABLE taxii_tokens (
    token_sha256 TEXT PRIMARY KEY,
    username     TEXT NOT NULL,
    label        TEXT,
    created_at   BIGINT NOT NULL
);

-- TAXII status resources of object additions.
CREATE TABLE taxii_status (
    id         TEXT PRIMARY KEY,
    username   TEXT NOT NULL,
    collection TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Explicit grants to read TLP:RED: scope is a channel id or '*' (everything, including this node's own material).
CREATE TABLE evidence_red_grants (
    username   TEXT NOT NULL,
    scope      TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (username, scope)
);

-- How far the evidence indexer has read the envelopes table (local envelope id).
CREATE TABLE evidence_cursor (
    name    TEXT PRIMARY KEY,
    last_id BIGINT NOT NULL
);
