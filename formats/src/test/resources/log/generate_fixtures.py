#!/usr/bin/env python3
"""Generates the io.parley.log test fixtures with an implementation independent of the Java code.

Everything here is written straight from the specs (RFC 6962 section 2.1, C2SP signed-note, tlog-checkpoint,
tlog-cosignature, tlog-tiles, tlog-proof) using only hashlib and the 'cryptography' package's Ed25519, so the
Java tests that read these files check interoperability, not self-consistency. Deterministic: keys come from fixed
seeds and Ed25519 signatures are deterministic, so re-running reproduces the same bytes.

    python3 generate_fixtures.py   # writes fixture-log/ next to this file
"""
import base64
import hashlib
import os
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixture-log")

TREE_SIZE = 600
ORIGIN = "fixture.parley.example/log"
WITNESS = "witness.parley.example/w1"
TIMESTAMP = 1700000000
PROOF_INDEX = 300


def sha256(b):
    return hashlib.sha256(b).digest()


def leaf_hash(data):
    return sha256(b"\x00" + data)


def node_hash(l, r):
    return sha256(b"\x01" + l + r)


def mth(leaves):
    """RFC 6962 2.1 MTH over leaf hashes."""
    n = len(leaves)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m, leaves):
    """RFC 6962 2.1.1 PATH(m, D[n]) over leaf hashes."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def entry(i):
    return ("parley fixture entry %d" % i).encode()


def key(seed_text):
    return Ed25519PrivateKey.from_private_bytes(sha256(seed_text.encode()))


def raw_public(k):
    return k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(name, alg, pub):
    return sha256(name.encode() + b"\n" + bytes([alg]) + pub)[:4]


def vkey(name, alg, pub):
    return "%s+%s+%s" % (name, key_id(name, alg, pub).hex(), base64.b64encode(bytes([alg]) + pub).decode())


def tile_path(level, n, width):
    s = "%03d" % (n % 1000)
    n //= 1000
    while n > 0:
        s = "x%03d/%s" % (n % 1000, s)
        n //= 1000
    p = "tile/%s/%s" % (level, s)
    if width < 256:
        p += ".p/%d" % width
    return p


def write(rel, data):
    full = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data)


def main():
    leaves = [leaf_hash(entry(i)) for i in range(TREE_SIZE)]
    root = mth(leaves)

    # Tiles: hash i of tile (L, N) is MTH of leaves [(N*256+i)*256^L, (N*256+i+1)*256^L).
    level = 0
    while TREE_SIZE // (256 ** level) > 0:
        count = TREE_SIZE // (256 ** level)
        for n in range((count + 255) // 256):
            width = min(256, count - n * 256)
            span = 256 ** level
            data = b"".join(mth(leaves[(n * 256 + i) * span:(n * 256 + i + 1) * span]) for i in range(width))
            write(tile_path(level, n, width), data)
            if level == 0:
                bundle = b"".join(struct.pack(">H", len(entry(j))) + entry(j)
                                  for j in range(n * 256, n * 256 + width))
                write(tile_path("entries", n, width), bundle)
        level += 1

    log_key = key("parley log fixture key")
    witness_key = key("parley witness fixture key")
    log_pub, witness_pub = raw_public(log_key), raw_public(witness_key)

    body = "%s\n%d\n%s\n" % (ORIGIN, TREE_SIZE, base64.b64encode(root).decode())
    log_sig = key_id(ORIGIN, 0x01, log_pub) + log_key.sign(body.encode())
    cosig_msg = ("cosignature/v1\ntime %d\n" % TIMESTAMP).encode() + body.encode()
    cosig = key_id(WITNESS, 0x04, witness_pub) + struct.pack(">Q", TIMESTAMP) + witness_key.sign(cosig_msg)
    note = body + "\n" + "\u2014 %s %s\n" % (ORIGIN, base64.b64encode(log_sig).decode()) \
        + "\u2014 %s %s\n" % (WITNESS, base64.b64encode(cosig).decode())
    write("checkpoint", note.encode())

    write("keys", ("log %s\nwitness %s\n" % (vkey(ORIGIN, 0x01, log_pub), vkey(WITNESS, 0x04, witness_pub))).encode())

    proof = "c2sp.org/tlog-proof@v1\nextra %s\nindex %d\n" % (base64.b64encode(b"fixture extra").decode(), PROOF_INDEX)
    proof += "".join(base64.b64encode(h).decode() + "\n" for h in path(PROOF_INDEX, leaves))
    proof += "\n" + note
    write("entry-300.tlog-proof", proof.encode())


if __name__ == "__main__":
    main()
