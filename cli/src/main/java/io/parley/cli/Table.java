package io.parley.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with a header row; columns are padded to their widest cell, the last one is not. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    Table row(String... cells) {
        String[] r = new String[rows.get(0).length];
        for (int i = 0; i < r.length; i++) r[i] = i < cells.length && cells[i] != null && !cells[i].isEmpty() ? cells[i] : "-";
        rows.add(r);
        return this;
    }

    void print(PrintWriter out) {
        int n = rows.get(0).length;
        int[] width = new int[n];
        for (String[] r : rows) for (int i = 0; i < n; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(r[i]);
                if (i < n - 1) sb.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    /** An RFC 3339 time to the second, or the text as it came if it is not one. */
    static String time(String iso) {
        if (iso == null || iso.isEmpty()) return null;
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** A length of time for humans, to its two largest units: 0s, 45s, 3m12s, 15m, 2h05m, 4h, 3d04h, 5d. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        long[] parts = {s / 86400, (s % 86400) / 3600, (s % 3600) / 60, s % 60};
        String[] units = {"d", "h", "m", "s"};
        int first = 0;
        while (first < 3 && parts[first] == 0) first++;
        StringBuilder sb = new StringBuilder().append(parts[first]).append(units[first]);
        if (first < 3 && parts[first + 1] != 0) sb.append(String.format("%02d", parts[first + 1])).append(units[first + 1]);
        return sb.toString();
    }

    /** An ISO 8601 duration as humans read it (PT120H → 5d00h); the ISO text if it does not parse. */
    static String duration(String iso) {
        try {
            return duration(Duration.parse(iso).toSeconds());
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
