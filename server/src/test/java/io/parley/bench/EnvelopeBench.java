package io.parley.bench;

import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;

/**
 * Envelope signing and verification (JCS canonicalisation + Ed25519) beside raw Bouncy Castle Ed25519 on the same
 * bytes, so the overhead of our envelope layer over the primitive is visible in one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvelopeBench {
    private SigningKey key;
    private Envelope draft;
    private Envelope signed;
    private byte[] message;
    private byte[] signature;
    private Ed25519PrivateKeyParameters bcPrivate;
    private Ed25519PublicKeyParameters bcPublic;

    @Setup
    public void setup() {
        key = SigningKey.generate("cert-a.example");
        draft = new Envelope(1, "demo-trilateral", "cert-a.example", 42, "ab".repeat(32), Kind.REQUEST, io.parley.envelope.CaseIds.newId("cert-a.example", java.time.Instant.parse("2026-03-01T00:00:00Z")),
                "2026-11-23T10:00:00.123Z", Priority.FLASH, Tlp.AMBER,
                Json.object().put("type", "assistance").put("summary", "Ransomware at regional hospital, need C2 takedown")
                        .put("text", "Encrypted PACS servers since 03:10 UTC; C2 at 203.0.113.7 in your AS.").put("lang", "en"), null);
        signed = EnvelopeSigner.sign(draft, key);
        message = draft.signingBytes();
        bcPrivate = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        bcPublic = bcPrivate.generatePublicKey();
        signature = new byte[64];
        bcPrivate.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    @Benchmark
    public Envelope envelopeSign() {
        return EnvelopeSigner.sign(draft, key);
    }

    @Benchmark
    public boolean envelopeVerify() {
        return EnvelopeSigner.verify(signed, key.verifierKey());
    }

    @Benchmark
    public byte[] rawBouncyCastleSign() {
        byte[] sig = new byte[64];
        bcPrivate.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
        return sig;
    }

    @Benchmark
    public boolean rawBouncyCastleVerify() {
        return bcPublic.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }
}
