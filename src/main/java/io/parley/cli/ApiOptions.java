package io.parley.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine.Option;

/** Where this operator's own node is and how to log in to its API (a picocli mixin). */
final class ApiOptions {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8440", description = "Base URL of your own node (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--user", required = true, paramLabel = "USER", description = "Account name on your node.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Password (prefer the PARLEY_PASSWORD environment variable).")
    String password;

    @Option(names = "--ca", paramLabel = "FILE", description = "PEM file of certificates to trust for https:// besides the system store (e.g. the demo CA, or a self-signed node's tls.crt).")
    java.nio.file.Path ca;

    ApiClient client() {
        return new ApiClient(url, user, password != null ? password : System.getenv("PARLEY_PASSWORD"), http(ca));
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
