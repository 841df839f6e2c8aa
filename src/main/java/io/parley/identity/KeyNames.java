package io.parley.identity;

/** The C2SP signed-note rules for key names, which Parley also uses for party origins. */
public final class KeyNames {
    private KeyNames() {}

    /** A key name is non-empty UTF-8 without spaces, newlines or '+'. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+' || Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSurrogate(c) && !Character.isValidCodePoint(name.codePointAt(i))) {
                return false;
            }
        }
        return true;
    }

    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid name '" + name + "': a name must be non-empty, without spaces, control characters or '+'");
        }
        return name;
    }
}
