package io.parley.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Reading and writing PEM certificates and private keys (Bouncy Castle's parser; keys through the JDK's providers). */
public final class Pem {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** A certificate chain or CA bundle is a few KiB; a bigger file is not one. */
    private static final long MAX_FILE = 1024 * 1024;

    private Pem() {}

    /** Every certificate in the file, in order (a chain: the node's own first). At least one. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser p = new PEMParser(reader(file))) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(new JcaX509CertificateConverter().getCertificate(h));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new IOException(file + " holds no PEM certificate");
        return out;
    }

    /** The private key in the file, which must be readable by its owner only (mode 0600), as the log key is. */
    public static PrivateKey privateKey(Path file) throws IOException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new IOException("TLS private key " + file + " does not exist");
        }
        if (!OWNER_ONLY.containsAll(perms)) {
            throw new IOException("TLS private key " + file + " is readable by others (mode " + PosixFilePermissions.toString(perms) + "); run chmod 600 on it");
        }
        try (PEMParser p = new PEMParser(reader(file))) {
            Object o = p.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) return converter.getPrivateKey(kp.getPrivateKeyInfo());
            if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
            throw new IOException(file + " holds no unencrypted PEM private key (PKCS#8 'PRIVATE KEY' or 'EC PRIVATE KEY')");
        } catch (org.bouncycastle.openssl.PEMException | RuntimeException e) {
            throw new IOException(file + " is not a usable PEM private key: " + e.getMessage(), e);
        }
    }

    public static String encode(Object certificateOrKey) {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(certificateOrKey);
        } catch (IOException e) {
            throw new IllegalStateException("PEM encoding failed", e);
        }
        return s.toString();
    }

    public static void writeCertificates(Path file, List<X509Certificate> chain) throws IOException {
        StringBuilder sb = new StringBuilder();
        chain.forEach(c -> sb.append(encode(c)));
        Files.writeString(file, sb, StandardCharsets.US_ASCII);
    }

    /** Creates the file with mode 0600 before any key material is written; never overwrites a key. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        if (Files.exists(file)) throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite a private key");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        // PKCS#8 ("PRIVATE KEY"): what OpenSSL, Jetty and other tools read for every key type
        Files.writeString(file, encode(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null)), StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static Reader reader(Path file) throws IOException {
        if (!Files.exists(file)) throw new IOException(file + " does not exist");
        if (Files.size(file) > MAX_FILE) throw new IOException(file + " is too large to be a PEM file");
        return new StringReader(Files.readString(file, StandardCharsets.US_ASCII));
    }
}
