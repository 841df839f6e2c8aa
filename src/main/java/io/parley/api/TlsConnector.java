package io.parley.api;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import io.javalin.config.JavalinConfig;
import io.parley.tls.NodeTls;

/**
 * The HTTPS listener of a node with {@code tls} in parley.json: the only connector (no plain HTTP port), TLS 1.3 and
 * 1.2 only.
 */
final class TlsConnector {
    private TlsConnector() {}

    /** Replaces Javalin's default plain connector with an HTTPS one on {@code host:port}. */
    static void install(JavalinConfig cfg, NodeTls tls, String host, int port) {
        cfg.jetty.addConnector((server, httpConfig) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls.serverContext());
            ssl.setIncludeProtocols(NodeTls.PROTOCOLS);
            ssl.setEndpointIdentificationAlgorithm(null); // servers do not check clients' host names; pins decide
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            // IP-address base URLs send no SNI; clients verify the host name, the server has only one certificate
            https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            ServerConnector connector = new ServerConnector(server,
                    new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        });
    }
}
