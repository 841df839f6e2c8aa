package io.parley.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.parley.audit.AccountEvents;
import io.parley.audit.AuditTrail;
import io.parley.auth.Passwords;
import io.parley.auth.Role;
import io.parley.node.NodeConfig;
import io.parley.store.UserStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage local accounts (web UI, API, TAXII).",
        subcommands = {UserCommand.Add.class, UserCommand.Disable.class, UserCommand.ListUsers.class, UserCommand.Totp.class, UserCommand.Red.class})
final class UserCommand implements Runnable {
    @Spec CommandSpec spec;

    /** Actor and address of changes made on the node's own command line. */
    static final String CLI = "cli";

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: add, disable, list or totp");
    }

    /** The node's account store, opened for one command. */
    private static <T> T withUsers(Path dir, java.util.function.Function<UserStore, T> action) throws Exception {
        return withUsers(dir, (users, audit) -> action.apply(users));
    }

    /** The node's account store and audit trail, opened for one command (changes go on the record as actor "cli"). */
    private static <T> T withUsers(Path dir, java.util.function.BiFunction<UserStore, AuditTrail, T> action) throws Exception {
        return NodeDatabase.with(dir, (db, cfg) -> action.apply(new UserStore(db), new AuditTrail(new io.parley.audit.AuditStore(db), java.time.Clock.systemUTC())));
    }

    /** Each --channel is a channel id or '*'. */
    private static void checkChannels(List<String> channels) {
        for (String c : channels) {
            if (!c.equals(Role.ALL_CHANNELS) && !c.matches("[A-Za-z0-9._-]{1,64}")) throw new IllegalArgumentException("--channel must be a channel id or '*' (got '" + c + "')");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create or reset an account (and enable it). The password is read from PARLEY_PASSWORD or --password.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Node directory.")
        Path dir;

        @Parameters(index = "0", description = "User name.")
        String username;

        @Option(names = "--password", description = "Password (prefer the PARLEY_PASSWORD environment variable).")
        String password;

        @Option(names = "--role", defaultValue = "officer", description = "Role: viewer (reads only), officer (acts on its channels) or admin (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--channel", description = "A channel an officer handles; repeat for several, '*' for every channel. Required for officers.")
        List<String> channels = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            String pw = password != null ? password : System.getenv("PARLEY_PASSWORD");
            if (pw == null || pw.length() < 8) throw new IllegalArgumentException("a password of at least 8 characters is required (--password or PARLEY_PASSWORD)");
            io.parley.auth.UserNames.refusal(username).ifPresent(why -> { throw new IllegalArgumentException(why); });
            Role r = Role.parse(role).orElseThrow(() -> new IllegalArgumentException("--role must be viewer, officer or admin"));
            checkChannels(channels);
            if (r == Role.OFFICER && channels.isEmpty()) {
                throw new IllegalArgumentException("an officer needs at least one --channel (or --channel '*' for every channel)");
            }
            if (r != Role.OFFICER && !channels.isEmpty()) {
                throw new IllegalArgumentException("--channel applies to officers only: a viewer reads every channel, an admin acts on every channel");
            }
            String hash = Passwords.hash(pw);
            withUsers(dir, (users, audit) -> {
                var before = AccountEvents.current(users, username);
                users.put(username, hash, r.wire(), java.time.Instant.now());
                users.setChannels(username, channels);
                users.setDisabled(username, false);
                audit.record(AccountEvents.saved(CLI, CLI, before, username, r.wire(), channels));
                return null;
            });
            spec.commandLine().getOut().println("account " + username + " (" + r.wire() + (channels.isEmpty() ? "" : " on " + String.join(", ", channels)) + ") saved");
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable an account: its password stops working and its tokens are revoked at once. 'user add' enables it again (with no token).")
    static final class Disable implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Node directory.")
        Path dir;

        @Parameters(index = "0", description = "User name.")
        String username;

        @Override
        public Integer call() throws Exception {
            boolean done = withUsers(dir, (users, audit) -> {
                if (!users.disable(username, java.time.Instant.now())) return false;
                audit.record(AccountEvents.disabled(CLI, CLI, username));
                return true;
            });
            if (!done) throw new IllegalArgumentException("no account '" + username + "' on this node");
            spec.commandLine().getOut().println("account " + username + " disabled");
            return 0;
        }
    }

    @Command(name = "red", mixinStandardHelpOptions = true, description = {
            "Set the channels in which an account may read TLP:RED (replacing its grants), on the node's host. The same as"
                    + " PUT /api/v1/red-grants/{user}, for an admin who signs in with a second factor and so has no password on the API."})
    static final class Red implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Node directory.")
        Path dir;

        @Parameters(index = "0", description = "User name.")
        String username;

        @Option(names = "--channel", description = "A channel in which the account may read RED; repeat for several, '*' for every channel.")
        List<String> channels = new ArrayList<>();

        @Option(names = "--none", description = "Revoke every TLP:RED grant of the account.")
        boolean none;

        @Override
        public Integer call() throws Exception {
            if (none == !channels.isEmpty()) throw new IllegalArgumentException("give --channel (repeatable, '*' for every channel) or --none");
            checkChannels(channels);
            java.util.Set<String> scopes = new java.util.TreeSet<>(channels);
            NodeDatabase.with(dir, (db, cfg) -> {
                if (new UserStore(db).find(username).isEmpty()) throw new IllegalArgumentException("no account '" + username + "' on this node (or it is disabled)");
                new io.parley.taxii.EvidenceStore(db).setRedScopes(username, scopes, CLI, java.time.Instant.now());
                return new AuditTrail(new io.parley.audit.AuditStore(db), java.time.Clock.systemUTC()).record(io.parley.audit.AuditEvent.done(CLI, io.parley.audit.AuditAction.RED_GRANT,
                        username, CLI, scopes.isEmpty() ? "every TLP:RED grant revoked" : "may read TLP:RED in: " + String.join(", ", scopes)));
            });
            spec.commandLine().getOut().println(scopes.isEmpty() ? "account " + username + " may no longer read TLP:RED"
                    : "account " + username + " may read TLP:RED in: " + String.join(", ", scopes));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts: name, role, channels, TLP:RED grants, disabled.")
    static final class ListUsers implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Node directory.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Table t = new Table("NAME", "ROLE", "CHANNELS", "TLP:RED", "DISABLED");
            withUsers(dir, (users, audit) -> {
                for (UserStore.Account a : users.accounts()) {
                    String channels = a.role().equals(Role.OFFICER.wire()) ? String.join(",", a.channels())
                            : a.role().equals(Role.VIEWER.wire()) ? "(reads all)" : "(all)";
                    java.util.Set<String> red = users.redScopes(a.username());
                    t.row(a.username(), a.role(), channels, red.isEmpty() ? "-" : String.join(",", red), a.disabled() ? "yes" : "no");
                }
                return null;
            });
            t.print(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "totp", mixinStandardHelpOptions = true, description = {
            "Give an account a TOTP second factor for web sign-in, at once: prints the otpauth:// URI (for a QR code), the secret"
                    + " and ten single-use recovery codes. Hand them to the user over a safe channel.",
            "--reset replaces an existing factor (a lost phone); --remove takes it away. Either ends the account's web sessions."})
    static final class Totp implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Node directory.")
        Path dir;

        @Parameters(index = "0", description = "User name.")
        String username;

        @Option(names = "--reset", description = "Replace the account's second factor (and recovery codes) by a new one.")
        boolean reset;

        @Option(names = "--remove", description = "Remove the account's second factor and recovery codes.")
        boolean remove;

        @Override
        public Integer call() throws Exception {
            if (reset && remove) throw new IllegalArgumentException("--reset and --remove exclude each other");
            var out = spec.commandLine().getOut();
            return NodeDatabase.with(dir, (db, cfg) -> {
                io.parley.auth.SecretBox box = io.parley.auth.SecretBox.open(dir.resolve(NodeConfig.TOTP_KEY_FILE));
                java.time.Clock clock = java.time.Clock.systemUTC();
                UserStore users = new UserStore(db);
                if (users.accounts().stream().noneMatch(a -> a.username().equals(username))) {
                    throw new IllegalArgumentException("no account '" + username + "' on this node");
                }
                var factors = new io.parley.auth.SecondFactor(new io.parley.store.SecondFactorStore(db), box, clock, "Parley " + cfg.origin());
                var sessions = new io.parley.store.SessionStore(db);
                var audit = new io.parley.audit.AuditTrail(new io.parley.audit.AuditStore(db), clock);
                if (remove) {
                    if (!factors.remove(username)) throw new IllegalArgumentException("account '" + username + "' has no second factor");
                    sessions.deleteUser(username);
                    audit.record(io.parley.audit.AuditEvent.done("cli", io.parley.audit.AuditAction.SECOND_FACTOR, username, "cli", "TOTP removed by the operator"));
                    out.println("second factor of " + username + " removed; its web sessions ended");
                    return 0;
                }
                if (factors.enrolled(username) && !reset) {
                    throw new IllegalArgumentException("account '" + username + "' already has a second factor: --reset replaces it, --remove takes it away");
                }
                var enrolled = factors.enrolNow(username);
                sessions.deleteUser(username);
                audit.record(io.parley.audit.AuditEvent.done("cli", io.parley.audit.AuditAction.SECOND_FACTOR, username, "cli",
                        (reset ? "TOTP reset" : "TOTP enrolled") + " by the operator; recovery codes issued"));
                out.println("otpauth: " + enrolled.enrolment().uri());
                out.println("secret: " + enrolled.enrolment().secretBase32());
                out.println("recovery codes (each signs in once; shown only now):");
                enrolled.recoveryCodes().forEach(c -> out.println("  " + c));
                return 0;
            });
        }
    }
}
