package io.parley.api;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;

/**
 * The one place that makes every text response UTF-8 with an explicit charset. Jetty encodes a string result in the
 * response's character encoding, which is ISO-8859-1 for any type it does not know to be JSON
 * ({@code application/stix+json}, {@code application/problem+json}, CSV, XML, HTML...): "é" became one invalid byte,
 * Cyrillic became '?', and a bundle arrived at a peer altered, under another hash. Here the encoding is always UTF-8
 * (whatever order a route sets the type and the result in), and every textual Content-Type says so.
 */
public final class Utf8Responses {
    private static final Pattern CHARSET = Pattern.compile(";\\s*charset=[^;]*", Pattern.CASE_INSENSITIVE);

    private Utf8Responses() {}

    /**
     * Whether a media type is text: text/*, and JSON or XML (including +json and +xml structured suffixes). One
     * exception: C2SP tlog-witness mandates exactly {@code text/x.tlog.size} for its 409 answer (ASCII digits), and
     * witness clients compare the header as a string.
     */
    public static boolean isText(String contentType) {
        if (contentType == null) return false;
        String base = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (base.equals("text/x.tlog.size")) return false;
        return base.startsWith("text/") || base.endsWith("/json") || base.endsWith("+json") || base.endsWith("/xml")
                || base.endsWith("+xml") || base.equals("application/javascript");
    }

    /** {@code contentType} with {@code charset=utf-8} in place of any charset it named, if it is text. */
    public static String withUtf8(String contentType) {
        if (!isText(contentType)) return contentType;
        return CHARSET.matcher(contentType).replaceAll("").strip() + "; charset=utf-8";
    }

    public static void install(ServletContextHandler handler) {
        handler.addFilter(new FilterHolder(new Charset()), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR));
    }

    private static final class Charset implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            if (!(response instanceof HttpServletResponse http)) {
                chain.doFilter(request, response);
                return;
            }
            chain.doFilter(request, new HttpServletResponseWrapper(http) {
                /** What Javalin encodes string results with: always UTF-8, never Jetty's ISO-8859-1 default. */
                @Override
                public String getCharacterEncoding() {
                    return "UTF-8";
                }

                @Override
                public void setContentType(String type) {
                    // Jetty would carry a charset over from an earlier text type (Javalin's default text/plain) to
                    // binary or exempt types; those leave as set.
                    if (!isText(type)) super.setCharacterEncoding(null);
                    super.setContentType(withUtf8(type));
                }

                @Override
                public void setHeader(String name, String value) {
                    super.setHeader(name, "content-type".equalsIgnoreCase(name) ? withUtf8(value) : value);
                }

                @Override
                public void addHeader(String name, String value) {
                    super.addHeader(name, "content-type".equalsIgnoreCase(name) ? withUtf8(value) : value);
                }
            });
        }
    }
}
