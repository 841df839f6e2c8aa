package io.parley.taxii;

import java.util.List;

import io.parley.node.Fault;

/** A refused evidence operation: HTTP status, a stable code, and field-level faults as JSON pointers. */
public final class EvidenceException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<Fault> faults;

    public EvidenceException(int status, String code, String detail, List<Fault> faults) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.faults = List.copyOf(faults);
    }

    public EvidenceException(int status, String code, String detail) {
        this(status, code, detail, List.of());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Fault> faults() {
        return faults;
    }
}
