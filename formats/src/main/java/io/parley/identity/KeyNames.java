package io.parley.identity;

/** The C2SP signed-note rules for key names, which Parley also uses for party origins. */
public final class KeyNames {
    private KeyNames() {}

    /** A key name is non-empty UTF-8 without Unicode spaces, control characters or '+' (C2SP signed-note). */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty()) return false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            // A lone surrogate comes back as itself: it has no UTF-8 form, so it cannot be in a signed-note name.
            if (cp == '+' || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                    || Character.getType(cp) == Character.SURROGATE) {
                return false;
            }
            i += Character.charCount(cp);
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
