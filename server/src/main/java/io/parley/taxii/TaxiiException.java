package io.parley.taxii;

/** Ends a TAXII request with a TAXII error message (TAXII 2.1 §3.6.1) and the given HTTP status. */
final class TaxiiException extends RuntimeException {
    private final int status;
    private final String title;

    TaxiiException(int status, String title, String description) {
        super(description, null, false, false);
        this.status = status;
        this.title = title;
    }

    int status() {
        return status;
    }

    String title() {
        return title;
    }
}
