package io.parley.evidence;

import java.util.Optional;

/**
 * Strict, allocation-light IP address parsing and canonical printing. Deliberately not {@link java.net.InetAddress}:
 * given something that is not a literal it would try a DNS lookup, which a validator of untrusted input must never do.
 */
final class IpAddresses {
    private IpAddresses() {}

    /** Canonical IPv4 (optionally CIDR) text: {@code 010.0.0.1} → {@code 10.0.0.1}, {@code 1.2.3.4/32} → {@code 1.2.3.4}. */
    static Optional<String> normaliseV4(String s) {
        String addr = s;
        Integer prefix = null;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            prefix = prefix(s.substring(slash + 1), 32);
            if (prefix == null) {
                return Optional.empty();
            }
            addr = s.substring(0, slash);
        }
        int[] octets = parseV4(addr);
        if (octets == null) {
            return Optional.empty();
        }
        String text = octets[0] + "." + octets[1] + "." + octets[2] + "." + octets[3];
        return Optional.of(prefix == null || prefix == 32 ? text : text + "/" + prefix);
    }

    /** Canonical IPv6 (optionally CIDR) text per RFC 5952; {@code /128} is the address itself. */
    static Optional<String> normaliseV6(String s) {
        String addr = s;
        Integer prefix = null;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            prefix = prefix(s.substring(slash + 1), 128);
            if (prefix == null) {
                return Optional.empty();
            }
            addr = s.substring(0, slash);
        }
        int[] groups = parseV6(addr);
        if (groups == null) {
            return Optional.empty();
        }
        String text = formatV6(groups);
        return Optional.of(prefix == null || prefix == 128 ? text : text + "/" + prefix);
    }

    private static Integer prefix(String p, int max) {
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int n = Integer.parseInt(p);
        return n <= max ? n : null;
    }

    /** Four decimal octets 0-255 (leading zeros read as decimal, as MISP and people mean them), or null. */
    static int[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            out[i] = Integer.parseInt(p);
            if (out[i] > 255) {
                return null;
            }
        }
        return out;
    }

    /** Eight 16-bit groups (RFC 4291 §2.2 text forms, including {@code ::} and a dotted IPv4 tail), or null. */
    static int[] parseV6(String s) {
        if (s.isEmpty() || s.indexOf('%') >= 0) {
            return null; // zone ids are local to one host: meaningless to share
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, dbl < 0);
        int[] t = groups(tail, true);
        if (h == null || t == null) {
            return null;
        }
        int total = h.length + t.length;
        if ((dbl < 0 && total != 8) || (dbl >= 0 && total > 7)) {
            return null;
        }
        int[] out = new int[8];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(t, 0, out, 8 - t.length, t.length);
        return out;
    }

    /** The groups of one side of {@code ::}; an IPv4 tail is allowed only as the very last element. */
    private static int[] groups(String side, boolean mayEndInV4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int n = parts.length;
        boolean v4 = mayEndInV4 && parts[n - 1].indexOf('.') >= 0;
        int[] out = new int[v4 ? n + 1 : n];
        for (int i = 0; i < (v4 ? n - 1 : n); i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) {
                return null;
            }
            int g = 0;
            for (int k = 0; k < p.length(); k++) {
                char ch = p.charAt(k);
                if (!StixIds.isHex(ch)) {
                    return null;
                }
                int d = Character.digit(ch, 16);
                g = g * 16 + d;
            }
            out[i] = g;
        }
        if (v4) {
            int[] o = parseV4(parts[n - 1]);
            if (o == null) {
                return null;
            }
            out[n - 1] = (o[0] << 8) | o[1];
            out[n] = (o[2] << 8) | o[3];
        }
        return out;
    }

    /** RFC 5952 §4: lower-case, no leading zeros, the longest run (first on a tie) of 2+ zero groups as {@code ::}. */
    static String formatV6(int[] g) {
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            // RFC 5952 §5: IPv4-mapped addresses keep the dotted tail
            return "::ffff:" + (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
