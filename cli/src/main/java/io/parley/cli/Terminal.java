package io.parley.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Where interactive answers come from: standard input, or what a test puts in {@link #input}. */
final class Terminal {
    /** Replaced by tests; null means {@link System#in}. */
    static volatile InputStream input;

    private Terminal() {}

    /** One line of input without its line end, or null at end of input. Reads byte by byte so nothing is over-read. */
    static String readLine() throws IOException {
        InputStream in = input != null ? input : System.in;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') line.write(b);
        if (b == -1 && line.size() == 0) return null;
        return line.toString(StandardCharsets.UTF_8).replaceAll("\r$", "");
    }

    /** True for y or yes (any case); anything else, including end of input, is no. */
    static boolean confirmed(String answer) {
        if (answer == null) return false;
        String a = answer.strip().toLowerCase(Locale.ROOT);
        return a.equals("y") || a.equals("yes");
    }
}
