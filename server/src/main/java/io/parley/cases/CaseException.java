package io.parley.cases;

import io.parley.node.Refusal;

/** A case action that cannot be done, with the HTTP status and problem code for the API. */
public final class CaseException extends Refusal {
    public CaseException(int status, String code, String message) {
        super(status, code, message);
    }
}
