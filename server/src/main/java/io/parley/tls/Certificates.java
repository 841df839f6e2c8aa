package io.parley.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.parley.identity.Sha256;

/**
 * Keys and X.509 certificates for trials and the demo: ECDSA P-256 (what every TLS stack speaks), a self-signed node
 * certificate, and a small certificate authority that issues node certificates. Production nodes bring their own.
 */
public final class Certificates {
    /** Node certificates name these besides the node's own name, so that loopback trials verify. */
    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1");
    private static final Duration NODE_VALIDITY = Duration.ofDays(397);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {}

    /** A certificate authority: its certificate and the key it signs with. */
    public record Authority(X509Certificate certificate, PrivateKey key) {
        /** A node certificate for {@code names} (DNS names or IP addresses), valid for server and client use. */
        public X509Certificate issue(String commonName, List<String> names, PublicKey subjectKey, Instant now) {
            return build(certificate.getSubjectX500Principal(), key, subject(commonName), subjectKey, names, now, NODE_VALIDITY, false);
        }
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256", e);
        }
    }

    /** A self-signed node certificate for {@code names} (DNS names or IP addresses). */
    public static X509Certificate selfSigned(String commonName, List<String> names, KeyPair keys, Instant now) {
        X500Principal subject = subject(commonName);
        return build(subject, keys.getPrivate(), subject, keys.getPublic(), names, now, NODE_VALIDITY, false);
    }

    public static Authority newAuthority(String commonName, Instant now) {
        KeyPair keys = newKeyPair();
        X500Principal subject = subject(commonName);
        return new Authority(build(subject, keys.getPrivate(), subject, keys.getPublic(), List.of(), now, CA_VALIDITY, true), keys.getPrivate());
    }

    /** The node's name plus the loopback names, without repeats. */
    public static List<String> namesFor(String origin) {
        Set<String> names = new LinkedHashSet<>();
        names.add(origin);
        names.addAll(LOOPBACK);
        return new ArrayList<>(names);
    }

    /** Lower-case hex SHA-256 of the DER certificate: the fingerprint a card publishes and peers pin. */
    public static String sha256(X509Certificate certificate) {
        try {
            return Sha256.hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    private static X500Principal subject(String commonName) {
        return new X500Principal("CN=" + commonName.replaceAll("[,+=\"\\\\<>;#]", "_") + ", O=Parley");
    }

    private static X509Certificate build(X500Principal issuer, PrivateKey issuerKey, X500Principal subject, PublicKey subjectKey,
                                         List<String> names, Instant now, Duration validity, boolean ca) {
        try {
            Instant notBefore = now.minus(Duration.ofMinutes(5)); // tolerate small clock differences between nodes
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(now.plus(validity)), subject, subjectKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                List<GeneralName> sans = new ArrayList<>();
                for (String n : names) sans.add(new GeneralName(isIp(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a certificate: " + e.getMessage(), e);
        }
    }

    private static boolean isIp(String name) {
        return name.matches("\\d{1,3}(\\.\\d{1,3}){3}") || name.contains(":");
    }
}
