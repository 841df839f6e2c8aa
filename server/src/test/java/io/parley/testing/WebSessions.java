package io.parley.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.parley.server.NodeServer;

/** Signing in to a node's web UI through {@code POST /login} as a browser would, for tests that drive pages over HTTP. */
public final class WebSessions {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private WebSessions() {}

    /** Signs in with a password (no second factor) and returns the {@code Cookie} header value of the new session. */
    public static String signIn(NodeServer n, String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> res = postLogin(n, user, password, null);
        if (res.statusCode() != 303) throw new IllegalStateException("sign-in of " + user + " answered " + res.statusCode() + ": " + res.body());
        return cookie(res);
    }

    /** The duty officer of {@link TestNodes}. */
    public static String signIn(NodeServer n) throws IOException, InterruptedException {
        return signIn(n, TestNodes.USER, TestNodes.PASSWORD);
    }

    public static HttpResponse<String> postLogin(NodeServer n, String user, String password, String cookie) throws IOException, InterruptedException {
        return form(n, "/login", cookie, "username=" + enc(user) + "&password=" + enc(password));
    }

    /** The {@code name=value} of the session cookie a response sets, or null. */
    public static String cookie(HttpResponse<?> res) {
        for (String h : res.headers().allValues("Set-Cookie")) {
            if (h.contains("parley_session") && !h.contains("Max-Age=0")) return h.substring(0, h.indexOf(';'));
        }
        return null;
    }

    public static HttpResponse<String> get(NodeServer n, String cookie, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).GET();
        if (cookie != null) b.header("Cookie", cookie);
        return TestNodes.send(b.build());
    }

    public static HttpResponse<String> form(NodeServer n, String path, String cookie, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) b.header("Cookie", cookie);
        return TestNodes.send(b.build());
    }

    /** The CSRF token of the forms of the page at {@code path}, as a browser would read it. */
    public static String csrf(NodeServer n, String cookie, String path) throws IOException, InterruptedException {
        String html = get(n, cookie, path).body();
        Matcher m = CSRF.matcher(html);
        if (!m.find()) throw new IllegalStateException("no form token on " + path + ": " + html);
        return m.group(1);
    }

    /** Whether {@code path} is a web UI page (signed in with a session) rather than the API, TAXII or a public route. */
    public static boolean webPage(String path) {
        for (String p : new String[] {"/api/", "/taxii2", "/federation/", "/log/", "/.well-known/", "/healthz", "/metrics", "/ui/"}) {
            if (path.startsWith(p)) return false;
        }
        return true;
    }

    /** The header that authenticates a test request to {@code path}: a fresh web session for pages, else HTTP Basic. */
    public static String[] authHeader(NodeServer n, String path, String user, String password) throws IOException, InterruptedException {
        if (webPage(path)) return new String[] {"Cookie", signIn(n, user, password)};
        return new String[] {"Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))};
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
