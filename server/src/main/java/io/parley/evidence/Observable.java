package io.parley.evidence;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalised observable, the unit of cross-party correlation: two parties reporting {@code Example.COM.} and
 * {@code example.com} must meet on the same record. Build with {@link #of}, which canonicalises:
 * <ul>
 *   <li>IPv4: dotted decimal without leading zeros; a CIDR suffix is kept, except {@code /32} which is the address.
 *   <li>IPv6: RFC 5952 text (lower-case, no leading zeros, longest zero run as {@code ::}); {@code /128} dropped.
 *   <li>domains: lower-case ASCII (IDNs as punycode), no trailing dot.
 *   <li>URLs: scheme and host lower-cased (RFC 3986 §6.2.2.1 says both are case-insensitive), the rest kept as is.
 *   <li>email addresses: lower-cased entirely: the local part is case-sensitive in theory (RFC 5321 §2.4) but not in
 *       practice, and a missed correlation costs more than a false one here.
 *   <li>hashes: lower-case hex of the exact length (32/40/64).
 *   <li>autonomous systems: {@code AS} followed by the decimal number, e.g. {@code AS64496}.
 * </ul>
 */
public record Observable(ObservableType type, String value) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern URL_SHAPE = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)", Pattern.DOTALL);

    public Observable {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** The normalised observable, or empty when {@code raw} is not a valid value of that type. */
    public static Optional<Observable> of(ObservableType type, String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String v = raw.strip();
        Optional<String> norm = switch (type) {
            case IPV4 -> IpAddresses.normaliseV4(v);
            case IPV6 -> IpAddresses.normaliseV6(v);
            case DOMAIN -> domain(v);
            case URL -> url(v);
            case EMAIL -> email(v);
            case MD5 -> hex(v, 32);
            case SHA1 -> hex(v, 40);
            case SHA256 -> hex(v, 64);
            case ASN -> asn(v);
        };
        return norm.map(n -> new Observable(type, n));
    }

    /** An IP address of either family, the family chosen by its shape. */
    public static Optional<Observable> ip(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        return raw.contains(":") ? of(ObservableType.IPV6, raw) : of(ObservableType.IPV4, raw);
    }

    static Optional<String> domain(String v) {
        String d = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        if (d.isEmpty() || d.length() > 253) {
            return Optional.empty();
        }
        try {
            d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String label : d.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(d);
    }

    private static Optional<String> url(String v) {
        var m = URL_SHAPE.matcher(v);
        if (!m.matches() || m.group(2).isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
            return Optional.empty();
        }
        String authority = m.group(2);
        int at = authority.lastIndexOf('@');
        String userinfo = at >= 0 ? authority.substring(0, at + 1) : "";
        String hostPort = authority.substring(at + 1).toLowerCase(Locale.ROOT);
        return Optional.of(m.group(1).toLowerCase(Locale.ROOT) + "://" + userinfo + hostPort + m.group(3));
    }

    private static Optional<String> email(String v) {
        int at = v.lastIndexOf('@');
        if (at <= 0 || at == v.length() - 1 || v.chars().anyMatch(Character::isWhitespace)) {
            return Optional.empty();
        }
        return domain(v.substring(at + 1)).map(d -> v.substring(0, at).toLowerCase(Locale.ROOT) + "@" + d);
    }

    private static Optional<String> hex(String v, int length) {
        String h = v.toLowerCase(Locale.ROOT);
        return h.length() == length && HEX.matcher(h).matches() ? Optional.of(h) : Optional.empty();
    }

    private static Optional<String> asn(String v) {
        String n = v.regionMatches(true, 0, "AS", 0, 2) ? v.substring(2).strip() : v;
        if (n.isEmpty() || n.length() > 10 || !n.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long number = Long.parseLong(n);
        return number <= 4_294_967_295L ? Optional.of("AS" + number) : Optional.empty(); // RFC 6793: 32-bit
    }
}
