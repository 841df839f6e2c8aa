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

    ApiClient client() {
        return new ApiClient(url, user, password != null ? password : System.getenv("PARLEY_PASSWORD"));
    }

    /** One path segment, percent-encoded (origins and channel ids cannot hold spaces or '+', but may hold '/'). */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
