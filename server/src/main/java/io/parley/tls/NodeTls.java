package io.parley.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A node's TLS identity (certificate chain and key, read once at start) and the SSL contexts built from it: the
 * server's, and the client's its peer connections use (presenting the same certificate, for mutual TLS).
 */
public final class NodeTls {
    /** Only these are spoken; 1.3 first. */
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final char[] IN_MEMORY = "parley".toCharArray();

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final List<X509Certificate> trusted;
    private final boolean mutual;

    private NodeTls(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trusted, boolean mutual) {
        this.mutual = mutual;
        this.chain = List.copyOf(chain);
        this.key = key;
        this.trusted = List.copyOf(trusted);
    }

    /** Reads the files {@code settings} name (relative to {@code dir}); refuses a key readable by others. */
    public static NodeTls load(Path dir, TlsSettings settings) throws IOException {
        List<X509Certificate> chain = Pem.certificates(dir.resolve(settings.cert()));
        PrivateKey key = Pem.privateKey(dir.resolve(settings.key()));
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new IOException("TLS key " + settings.key() + " is " + key.getAlgorithm() + " but the certificate's key is " + chain.get(0).getPublicKey().getAlgorithm());
        }
        try {
            chain.get(0).checkValidity(Date.from(Instant.now()));
        } catch (CertificateException e) {
            throw new IOException("TLS certificate " + settings.cert() + " is not valid now: " + e.getMessage());
        }
        List<X509Certificate> trusted = settings.ca() == null ? List.of() : Pem.certificates(dir.resolve(settings.ca()));
        NodeTls tls = new NodeTls(chain, key, trusted, settings.mutual());
        tls.serverContext(); // a key that does not match its certificate fails here, at start, not at the first handshake
        return tls;
    }

    /** Whether node-to-node routes require a pinned peer's client certificate. */
    public boolean mutual() {
        return mutual;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** SHA-256 of our DER certificate, as the card publishes it. */
    public String fingerprint() {
        return Certificates.sha256(certificate());
    }

    /**
     * The server's context: our certificate, and (used only when client certificates are asked for) a trust manager
     * that takes any currently valid client certificate, because peers are authenticated by their pinned fingerprint.
     */
    public SSLContext serverContext() {
        return context(keyManagers(), new TrustManager[] {new PinnedLater()});
    }

    /** The client's context for connections to peers: presents our certificate; trusts the system store and our CA file. */
    public SSLContext clientContext() {
        return context(keyManagers(), new TrustManager[] {trustManager(trusted)});
    }

    /** A client context without an identity, for the CLI: the system store plus {@code extra} (e.g. {@code --ca}). */
    public static SSLContext clientContext(List<X509Certificate> extra) {
        return context(null, new TrustManager[] {trustManager(extra)});
    }

    private KeyManager[] keyManagers() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("node", key, IN_MEMORY, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, IN_MEMORY);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the TLS key does not fit its certificate: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(KeyManager[] keys, TrustManager[] trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The JDK's default trust (system store), then, failing that, a trust manager of {@code extra} alone. */
    private static X509ExtendedTrustManager trustManager(List<X509Certificate> extra) {
        List<X509ExtendedTrustManager> managers = new ArrayList<>();
        try {
            managers.add(pkix(null));
            if (!extra.isEmpty()) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                for (int i = 0; i < extra.size(); i++) ks.setCertificateEntry("ca-" + i, extra.get(i));
                managers.add(pkix(ks));
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
        }
        return new AnyOf(managers);
    }

    private static X509ExtendedTrustManager pkix(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) return x;
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /**
     * Trusts a server if any of its delegates does. The delegates are the JDK's own, so chain building and host name
     * verification (which the HTTP client asks for on the engine) stay theirs.
     */
    private static final class AnyOf extends X509ExtendedTrustManager {
        private final List<X509ExtendedTrustManager> delegates;

        AnyOf(List<X509ExtendedTrustManager> delegates) {
            this.delegates = List.copyOf(delegates);
        }

        private interface Check {
            void run(X509ExtendedTrustManager tm) throws CertificateException;
        }

        private void any(Check check) throws CertificateException {
            CertificateException first = null;
            for (X509ExtendedTrustManager tm : delegates) {
                try {
                    check.run(tm);
                    return;
                } catch (CertificateException e) {
                    if (first == null) first = e;
                }
            }
            throw first;
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            any(tm -> tm.checkServerTrusted(chain, authType, socket));
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            any(tm -> tm.checkServerTrusted(chain, authType, engine));
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            any(tm -> tm.checkServerTrusted(chain, authType));
        }

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            any(tm -> tm.checkClientTrusted(chain, authType, socket));
        }

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            any(tm -> tm.checkClientTrusted(chain, authType, engine));
        }

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            any(tm -> tm.checkClientTrusted(chain, authType));
        }

        @Override public X509Certificate[] getAcceptedIssuers() {
            return delegates.stream().flatMap(tm -> java.util.Arrays.stream(tm.getAcceptedIssuers())).toArray(X509Certificate[]::new);
        }
    }

    /**
     * Server side of mutual TLS: any client certificate that is currently valid passes the handshake; whether it is a
     * pinned peer's is decided per route by its fingerprint. Never used to check a server.
     */
    private static final class PinnedLater implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) throw new CertificateException("no client certificate");
            chain[0].checkValidity();
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only checks client certificates");
        }

        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
