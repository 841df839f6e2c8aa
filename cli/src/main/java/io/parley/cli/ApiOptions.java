package io.parley.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import picocli.CommandLine.Option;

/** Where this operator's own node is and how to log in to its API (a picocli mixin). */
final class ApiOptions {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8440", description = "Base URL of your own node (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "Account name on your node (with --password or PARLEY_PASSWORD); or use a token instead.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Password (prefer the PARLEY_PASSWORD environment variable).")
    String password;

    @Option(names = "--token", paramLabel = "TOKEN", description = "A bearer token (parley_...) instead of --user and a password (prefer the PARLEY_TOKEN environment variable, used when neither --token nor --user is given).")
    String token;

    @Option(names = "--ca", paramLabel = "FILE", description = "PEM file of certificates to trust for https:// besides the system store (e.g. the demo CA, or a self-signed node's tls.crt).")
    java.nio.file.Path ca;

    ApiClient client() {
        return new ApiClient(url, authorization(), http(ca));
    }

    /**
     * The Authorization header: {@code --token}, else {@code --user} with its password, else PARLEY_TOKEN. A token
     * given on purpose wins; an explicit --user wins over a token left in the environment.
     */
    String authorization() {
        if (token != null) return bearer(token, "--token");
        if (user != null) {
            String pw = password != null ? password : System.getenv("PARLEY_PASSWORD");
            // an empty password would only count as a failed sign-in at the node, toward its throttle
            if (pw == null || pw.isEmpty()) throw new IllegalArgumentException("no password for --user " + user + ": set PARLEY_PASSWORD or --password, or use a token (--token or PARLEY_TOKEN)");
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
        }
        String env = System.getenv("PARLEY_TOKEN");
        if (env != null && !env.isBlank()) return bearer(env, "PARLEY_TOKEN");
        throw new IllegalArgumentException("sign in with --user USER (and PARLEY_PASSWORD), or with a token: --token or PARLEY_TOKEN");
    }

    private static String bearer(String token, String from) {
        String t = token.strip();
        if (!t.matches("[A-Za-z0-9_-]{1,200}")) throw new IllegalArgumentException(from + " is not a token (expected parley_ and base64url characters)");
        return "Bearer " + t;
    }

    /** An HTTP client for the CLI: trusts the system store plus {@code ca} (may be null). */
    static java.net.http.HttpClient.Builder http(java.nio.file.Path ca) {
        java.util.List<java.security.cert.X509Certificate> extra;
        try {
            extra = ca == null ? java.util.List.of() : io.parley.tls.Pem.certificates(ca);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--ca: " + e.getMessage());
        }
        return java.net.http.HttpClient.newBuilder().sslContext(io.parley.tls.NodeTls.clientContext(extra))
                .connectTimeout(java.time.Duration.ofSeconds(5));
    }

    /** One path segment, percent-encoded (origins and channel ids cannot hold spaces or '+', but may hold '/'). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
