-- The SHA-256 of the TLS certificate a peer's signed card names, pinned with its key at peer add: with mutual TLS,
-- node-to-node routes answer only client certificates found here.
ALTER TABLE parties ADD COLUMN tls_cert_sha256 TEXT;
CREATE INDEX parties_tls_cert_sha256 ON parties (tls_cert_sha256);
