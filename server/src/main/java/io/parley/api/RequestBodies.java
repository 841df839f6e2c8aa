package io.parley.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;

import io.javalin.http.Context;

/**
 * The one rule for how much of a request body the node reads, and the one reader of bodies. A Content-Length header
 * is only a hint (chunked requests have none), so the limit is enforced on the stream itself: {@link #install} wraps
 * every request's input stream, whoever reads it (our routes, Javalin's form parsing), and reading past the limit
 * throws {@link TooLarge}, which the HTTP edge answers with a 413 problem.
 */
public final class RequestBodies {
    /** Envelopes, charters, witness checkpoints, API requests and web forms. */
    public static final long DEFAULT_MAX = 2L * 1024 * 1024;
    /** Evidence bundles (upload, MISP import, TAXII add) and case bundles uploaded to the verify page. */
    public static final long EVIDENCE_MAX = io.parley.taxii.EvidenceIngest.MAX_BUNDLE_BYTES;
    private static final String CACHE = "parley.body";

    private RequestBodies() {}

    /** The most this node reads of a request body to {@code path}. */
    public static long limitFor(String path) {
        if (path.equals("/api/v1/evidence") || path.equals("/api/v1/evidence/misp") || path.startsWith("/taxii2/")) return EVIDENCE_MAX;
        if (path.equals("/verify")) return EVIDENCE_MAX; // a case bundle uploaded to the web UI's verify page
        return DEFAULT_MAX;
    }

    /** Reading a body beyond its limit. */
    public static final class TooLarge extends RuntimeException {
        private final long limit;

        TooLarge(long limit) {
            super("the request body exceeds " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * The whole body, read once from the stream (later calls get the same bytes, so a before-handler and the route
     * can both read it); throws {@link TooLarge} past {@link #limitFor} and refuses a larger Content-Length up front.
     */
    public static byte[] read(Context ctx) {
        byte[] cached = ctx.attribute(CACHE);
        if (cached != null) return cached;
        long max = limitFor(ctx.path());
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) throw new TooLarge(max);
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) max + 1);
        } catch (IOException e) {
            throw ProblemException.badRequest("unreadable-body", "could not read the request body: " + e.getMessage());
        }
        if (body.length > max) throw new TooLarge(max);
        ctx.attribute(CACHE, body);
        return body;
    }

    /** Caps the input stream of every request the server handles at {@link #limitFor} its path. */
    public static void install(ServletContextHandler handler) {
        handler.addFilter(new FilterHolder(new Cap()), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    private static final class Cap implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            if (request instanceof HttpServletRequest http && response instanceof jakarta.servlet.http.HttpServletResponse res) {
                long max = limitFor(http.getRequestURI());
                chain.doFilter(new HttpServletRequestWrapper(http) {
                    private ServletInputStream capped;

                    @Override
                    public ServletInputStream getInputStream() throws IOException {
                        if (capped == null) capped = new CappedStream(super.getInputStream(), max, res);
                        return capped;
                    }

                    @Override
                    public java.io.BufferedReader getReader() throws IOException {
                        return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                                getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding()));
                    }
                }, response);
            } else {
                chain.doFilter(request, response);
            }
        }
    }

    private static final class CappedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private final jakarta.servlet.http.HttpServletResponse response;
        private long read;

        CappedStream(ServletInputStream in, long max, jakarta.servlet.http.HttpServletResponse response) {
            this.in = in;
            this.max = max;
            this.response = response;
        }

        private int count(int n) {
            if (n > 0) {
                read += n;
                if (read > max) {
                    // Close the connection after the answer rather than drain the rest of a body we refused.
                    if (!response.isCommitted()) response.setHeader("Connection", "close");
                    throw new TooLarge(max);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return count(in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
