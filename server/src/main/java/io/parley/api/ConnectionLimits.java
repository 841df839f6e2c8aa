package io.parley.api;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * What one client may hold of the server, against slow-request (slowloris) attacks: a connection idle for
 * {@code idleTimeout} is closed; a connection that has not completed the headers of a request within
 * {@code headerDeadline} of opening (or of its previous request) is closed even if it trickles bytes to stay
 * non-idle; request headers are capped at {@code maxHeaderBytes} (431 beyond); a request body arriving slower than
 * {@code minBodyBytesPerSecond} is cut off (408); and at most {@code maxConnections} connections are accepted at once
 * (Jetty stops accepting beyond, so one client cannot exhaust file descriptors).
 */
public record ConnectionLimits(Duration idleTimeout, Duration headerDeadline, int maxHeaderBytes, long minBodyBytesPerSecond, int maxConnections) {
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 8 * 1024, 1024, 2048);

    /** The node's one HTTP connector on {@code host:port}, with these limits applied. */
    ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        return connector(server, http, host, port, null);
    }

    /** As above; with {@code tls}, the connector speaks HTTPS only (see {@link TlsConnector}). */
    ServerConnector connector(Server server, HttpConfiguration http, String host, int port, io.parley.tls.NodeTls tls) {
        http.setRequestHeaderSize(maxHeaderBytes);
        http.setMinRequestDataRate(minBodyBytesPerSecond);
        ServerConnector connector = tls == null ? new ServerConnector(server, new HttpConnectionFactory(http))
                : new ServerConnector(server, TlsConnector.factories(tls, http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.addBean(new HeaderDeadline(connector));
        server.addBean(new ConnectionLimit(maxConnections, connector));
        return connector;
    }

    /**
     * Closes a connection that completed no request headers within one deadline while no request was being handled:
     * Jetty's idle timeout resets on every byte, so a client sending a header byte every few seconds would otherwise
     * hold its connection (and a server thread's worth of state) for ever.
     */
    private final class HeaderDeadline implements Connection.Listener {
        private final ServerConnector connector;

        HeaderDeadline(ServerConnector connector) {
            this.connector = connector;
        }

        @Override
        public void onOpened(Connection connection) {
            if (connection instanceof HttpConnection http) arm(http, http.getMessagesIn());
        }

        @Override
        public void onClosed(Connection connection) {}

        private void arm(HttpConnection http, long requestsSeen) {
            Scheduler scheduler = connector.getScheduler();
            scheduler.schedule(() -> check(http, requestsSeen), headerDeadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void check(HttpConnection http, long requestsSeen) {
            if (!http.getEndPoint().isOpen()) return;
            long requests = http.getMessagesIn();
            if (requests == requestsSeen && http.getHttpChannel().getState().isIdle()) {
                http.getEndPoint().close();
                return;
            }
            arm(http, requests);
        }
    }
}
