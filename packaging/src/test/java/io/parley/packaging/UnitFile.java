package io.parley.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The [Service] section of a systemd unit, read to start its process as systemd would where systemd is not running
 * (a container, CI): the unit's User, WorkingDirectory, EnvironmentFile and ExecStart. Only the syntax the Parley unit
 * uses is understood; anything else (quotes, prefixes such as '-' or '+', specifiers) fails loudly rather than being
 * read differently from systemd.
 */
record UnitFile(Map<String, List<String>> service) {
    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    static UnitFile read(Path file) throws IOException {
        Map<String, List<String>> service = new LinkedHashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.endsWith("\\")) throw new IllegalArgumentException(file + ": continued lines are not understood here: " + line);
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException(file + ": not a setting: " + line);
            if (section.equals("[Service]")) {
                service.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
        }
        return new UnitFile(service);
    }

    /** The value of a setting given exactly once. */
    String single(String key) {
        List<String> values = service.getOrDefault(key, List.of());
        if (values.size() != 1) throw new IllegalArgumentException(key + "= is set " + values.size() + " times, expected once");
        return values.get(0);
    }

    /** The environment file's path, without systemd's '-' (optional file) prefix. */
    Path environmentFile() {
        String value = single("EnvironmentFile");
        return Path.of(value.startsWith("-") ? value.substring(1) : value);
    }

    /**
     * ExecStart as the argument list systemd makes of it with {@code environment}: words split at white space, a word
     * "$NAME" replaced by the words of the variable's value (none if unset or empty), "${NAME}" by its value as one word.
     */
    List<String> command(Map<String, String> environment) {
        String line = single("ExecStart");
        if (line.matches("^[-@:+!].*") || line.contains("\"") || line.contains("'") || line.contains("%")) {
            throw new IllegalArgumentException("ExecStart uses syntax this reader does not understand: " + line);
        }
        List<String> argv = new ArrayList<>();
        for (String word : line.split("\\s+")) {
            Matcher m = VARIABLE.matcher(word);
            if (m.matches() && m.group(1) != null) {
                String value = environment.getOrDefault(m.group(1), "").strip();
                if (!value.isEmpty()) argv.addAll(List.of(value.split("\\s+")));
            } else if (m.matches()) {
                argv.add(environment.getOrDefault(m.group(2), ""));
            } else if (word.contains("$")) {
                throw new IllegalArgumentException("ExecStart word with a variable inside it is not understood here: " + word);
            } else {
                argv.add(word);
            }
        }
        return argv;
    }

    /** The assignments of a systemd environment file (KEY=value lines; comments and blank lines skipped). */
    static Map<String, String> readEnvironment(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException(file + ": not an assignment: " + line);
            String value = line.substring(eq + 1).strip();
            if (value.contains("\"") || value.contains("'") || value.endsWith("\\")) {
                throw new IllegalArgumentException(file + ": quoting is not understood here: " + line);
            }
            env.put(line.substring(0, eq).strip(), value);
        }
        return env;
    }
}
