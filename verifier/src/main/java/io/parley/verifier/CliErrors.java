package io.parley.verifier;

/** Turns any failure into the one line the CLI prints. */
public final class CliErrors {
    private CliErrors() {}

    public static String oneLine(Throwable e) {
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) {
            Throwable cause = e.getCause();
            msg = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getClass().getSimpleName();
        }
        if (e instanceof java.nio.file.NoSuchFileException) msg = "no such file: " + msg;
        if (e instanceof java.nio.file.AccessDeniedException) msg = "permission denied: " + msg;
        if (e instanceof java.net.ConnectException) msg = "cannot connect: " + (msg.isBlank() ? "connection refused" : msg);
        // Java's own text names PKIX path building; an operator needs to know which option fixes it
        if (e instanceof javax.net.ssl.SSLHandshakeException && msg.contains("PKIX")) {
            msg = "the node's TLS certificate is not trusted here; pass --ca FILE with the certificate (or its CA) in PEM";
        }
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
