package io.parley.api;

import java.security.cert.X509Certificate;
import java.util.Optional;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import io.javalin.http.Context;
import io.parley.node.Node;
import io.parley.tls.Certificates;
import io.parley.tls.NodeTls;

/**
 * The HTTPS listener of a node with {@code tls} in parley.json: the only connector (no plain HTTP port), TLS 1.3 and
 * 1.2 only, asking for a client
 * certificate when mutual TLS is on; and the pin check of node-to-node routes.
 */
final class TlsConnector {
    /** The servlet attribute under which Jetty hands over the client's certificate chain. */
    private static final String CLIENT_CHAIN = "jakarta.servlet.request.X509Certificate";
    private TlsConnector() {}

    /** The connection factories of an HTTPS-only connector: TLS, then HTTP/1.1 over it with {@code http}'s settings. */
    static ConnectionFactory[] factories(NodeTls tls, HttpConfiguration http) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls.serverContext());
        ssl.setIncludeProtocols(NodeTls.PROTOCOLS);
        ssl.setEndpointIdentificationAlgorithm(null); // servers do not check clients' host names; pins decide
        // Asked, not required: public routes (card, log tiles, web UI) stay open to anyone; node-to-node routes check the pin.
        ssl.setWantClientAuth(tls.mutual());
        HttpConfiguration https = new HttpConfiguration(http);
        // IP-address base URLs send no SNI; clients verify the host name, the server has only one certificate
        https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        return new ConnectionFactory[] {new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https)};
    }

    /** SHA-256 of the client certificate the caller presented on this connection, if any. */
    static Optional<String> clientFingerprint(Context ctx) {
        Object chain = ctx.req().getAttribute(CLIENT_CHAIN);
        if (chain instanceof X509Certificate[] certs && certs.length > 0) return Optional.of(Certificates.sha256(certs[0]));
        return Optional.empty();
    }

    /**
     * With mutual TLS on, node-to-node routes answer only connections whose client certificate is a pinned peer's
     * (the one its card named when we accepted it at {@code peer add}); anyone else gets 403 before any route code runs.
     */
    static void requirePinnedPeer(Node node, Context ctx) {
        Optional<String> presented = clientFingerprint(ctx);
        if (presented.isEmpty()) {
            throw new ProblemException(Problem.of(403, "client-certificate-required", "Forbidden",
                    "this node requires mutual TLS on " + ctx.path() + ": connect with your node's TLS client certificate"));
        }
        if (!node.parties().isPinnedTlsCertificate(presented.get())) {
            throw new ProblemException(Problem.of(403, "client-certificate-not-pinned", "Forbidden",
                    "the TLS client certificate (SHA-256 " + presented.get() + ") is not a pinned peer's"));
        }
    }
}
