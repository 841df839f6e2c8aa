package io.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A loopback TCP proxy that forwards to a local port, or delays, or drops connections, as a test tells it. */
public final class FaultyProxy implements AutoCloseable {
    public enum Mode { FORWARD, DELAY, DROP }

    private final ServerSocket server;
    private final int target;
    private volatile Mode mode = Mode.FORWARD;
    private volatile long delayMs = 0;

    public FaultyProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public void forward() {
        mode = Mode.FORWARD;
    }

    public void delay(long ms) {
        delayMs = ms;
        mode = Mode.DELAY;
    }

    public void drop() {
        mode = Mode.DROP;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            Mode m = mode;
            if (m == Mode.DROP) return;
            if (m == Mode.DELAY) Thread.sleep(delayMs);
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target)) {
                Thread up = Thread.ofVirtual().start(() -> pipe(client, upstream));
                pipe(upstream, client);
                up.join(1000);
            }
        } catch (IOException | InterruptedException e) {
            // a broken connection is what some tests want
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // connection closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
