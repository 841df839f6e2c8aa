package io.parley.log;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Small decoding helpers for test vectors. */
final class Hex {
    private Hex() {}

    static byte[] h(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] b64(String s) {
        return Base64.getDecoder().decode(s);
    }

    static List<byte[]> b64s(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) out.add(b64(x));
        return out;
    }

    static List<String> hexes(List<byte[]> hashes) {
        List<String> out = new ArrayList<>();
        for (byte[] h : hashes) out.add(hex(h));
        return out;
    }
}
