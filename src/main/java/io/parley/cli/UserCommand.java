package io.parley.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.parley.auth.Passwords;
import io.parley.node.NodeConfig;
import io.parley.store.Database;
import io.parley.store.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage local accounts (web UI, API, TAXII).",
        subcommands = UserCommand.Add.class)
final class UserCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create or reset an account. The password is read from PARLEY_PASSWORD or --password.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Node directory.")
        Path dir;

        @Parameters(index = "0", description = "User name.")
        String username;

        @Option(names = "--password", description = "Password (prefer the PARLEY_PASSWORD environment variable).")
        String password;

        @Option(names = "--role", defaultValue = "officer", description = "Role: officer or admin (default: ${DEFAULT-VALUE}).")
        String role;

        @Override
        public Integer call() throws Exception {
            String pw = password != null ? password : System.getenv("PARLEY_PASSWORD");
            if (pw == null || pw.length() < 8) throw new IllegalArgumentException("a password of at least 8 characters is required (--password or PARLEY_PASSWORD)");
            if (!username.matches("[A-Za-z0-9._@-]{1,64}")) throw new IllegalArgumentException("user name may use letters, digits and . _ @ - (1..64 characters)");
            if (!role.equals("officer") && !role.equals("admin")) throw new IllegalArgumentException("--role must be officer or admin");
            NodeConfig cfg = NodeConfig.load(dir);
            try (Database db = Database.open(cfg.jdbcUrl(dir), cfg.dbUser(), cfg.dbPassword())) {
                new UserStore(db).put(username, Passwords.hash(pw), role, java.time.Instant.now());
            }
            spec.commandLine().getOut().println("account " + username + " (" + role + ") saved");
            return 0;
        }
    }
}
