package io.parley.evidence;

import java.util.Arrays;
import java.util.Optional;

/**
 * The MISP attribute types Parley converts, each with the observable kind it carries and MISP's default category (as
 * in MISP's {@code describeTypes}), used when a STIX object carries no {@code misp:category} label.
 */
enum MispType {
    IP_SRC("ip-src", "Network activity"),
    IP_DST("ip-dst", "Network activity"),
    DOMAIN("domain", "Network activity"),
    HOSTNAME("hostname", "Network activity"),
    URL("url", "Network activity"),
    MD5("md5", "Payload delivery"),
    SHA1("sha1", "Payload delivery"),
    SHA256("sha256", "Payload delivery"),
    EMAIL_SRC("email-src", "Payload delivery"),
    EMAIL_DST("email-dst", "Network activity"),
    EMAIL("email", "Social network"),
    AS("AS", "Network activity");

    final String misp;
    final String defaultCategory;

    MispType(String misp, String defaultCategory) {
        this.misp = misp;
        this.defaultCategory = defaultCategory;
    }

    static Optional<MispType> fromMisp(String type) {
        return Arrays.stream(values()).filter(t -> t.misp.equals(type)).findFirst();
    }

    /** The observable for a MISP value of this type, normalised; empty when the value is not valid for the type. */
    Optional<Observable> observable(String value) {
        return switch (this) {
            case IP_SRC, IP_DST -> Observable.ip(value);
            case DOMAIN, HOSTNAME -> Observable.of(ObservableType.DOMAIN, value);
            case URL -> Observable.of(ObservableType.URL, value);
            case MD5 -> Observable.of(ObservableType.MD5, value);
            case SHA1 -> Observable.of(ObservableType.SHA1, value);
            case SHA256 -> Observable.of(ObservableType.SHA256, value);
            case EMAIL_SRC, EMAIL_DST, EMAIL -> Observable.of(ObservableType.EMAIL, value);
            case AS -> Observable.of(ObservableType.ASN, value);
        };
    }

    /** True when a MISP attribute of this type can carry {@code kind} (e.g. ip-src carries IPv4 and IPv6). */
    boolean carries(ObservableType kind) {
        return switch (this) {
            case IP_SRC, IP_DST -> kind == ObservableType.IPV4 || kind == ObservableType.IPV6;
            case DOMAIN, HOSTNAME -> kind == ObservableType.DOMAIN;
            case URL -> kind == ObservableType.URL;
            case MD5 -> kind == ObservableType.MD5;
            case SHA1 -> kind == ObservableType.SHA1;
            case SHA256 -> kind == ObservableType.SHA256;
            case EMAIL_SRC, EMAIL_DST, EMAIL -> kind == ObservableType.EMAIL;
            case AS -> kind == ObservableType.ASN;
        };
    }

    /** The MISP type for an observable kind when nothing more specific is known. */
    static MispType defaultFor(ObservableType kind) {
        return switch (kind) {
            case IPV4, IPV6 -> IP_DST;
            case DOMAIN -> DOMAIN;
            case URL -> URL;
            case EMAIL -> EMAIL;
            case MD5 -> MD5;
            case SHA1 -> SHA1;
            case SHA256 -> SHA256;
            case ASN -> AS;
        };
    }
}
