package io.parley.evidence;

import java.util.Locale;

/** The kinds of observable Parley correlates across parties, with the STIX SCO type each comes from. */
public enum ObservableType {
    IPV4("ipv4-addr"),
    IPV6("ipv6-addr"),
    DOMAIN("domain-name"),
    URL("url"),
    EMAIL("email-addr"),
    MD5("file"),
    SHA1("file"),
    SHA256("file"),
    ASN("autonomous-system");

    private final String stixType;

    ObservableType(String stixType) {
        this.stixType = stixType;
    }

    /** The name of this kind in the API and the correlation index: {@code ipv4}, {@code domain}, {@code sha256}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The STIX Cyber-observable Object type that carries this kind of value. */
    public String stixType() {
        return stixType;
    }

    /** True for the file-hash kinds. */
    public boolean isHash() {
        return this == MD5 || this == SHA1 || this == SHA256;
    }

    /** The STIX hash-algorithm key (STIX 2.1 §10.10 hash-algorithm-ov) for a hash kind, else null. */
    public String stixHashKey() {
        return switch (this) {
            case MD5 -> "MD5";
            case SHA1 -> "SHA-1";
            case SHA256 -> "SHA-256";
            default -> null;
        };
    }
}
