package io.parley.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.identity.KeyNames;
import io.parley.identity.PartyCard;
import io.parley.json.Json;
import io.parley.tls.TlsSettings;

/**
 * The node's settings, kept in {@code parley.json} in the node directory. The database URL defaults to a SQLite file
 * beside it; {@code db} may name a PostgreSQL URL instead (several instances may then share it). {@code language} (one of
 * the six desk languages, default {@code en}) is the node's default language for people it knows no language of.
 */
public record NodeConfig(String origin, String displayName, String organisationKind, String country, String bind,
                         int port, String baseUrl, String db, String dbUser, String dbPassword, String validFrom,
                         List<PartyCard.Contact> contacts, String previousKey, String rotationSig, TlsSettings tls,
                         Throttling throttling, io.parley.auth.SignInSettings signIn, String language) {

    public static final String FILE = "parley.json";
    public static final String KEY_FILE = "log.key";
    public static final String WITNESS_KEY_FILE = "witness.key";
    public static final String SQLITE_FILE = "parley.db";
    /** The key that seals TOTP secrets in the database (auth.SecretBox); copy it with log.key to every instance. */
    public static final String TOTP_KEY_FILE = "totp.key";

    public NodeConfig {
        KeyNames.requireValid(origin);
        contacts = List.copyOf(contacts);
        if (throttling == null) throttling = Throttling.DEFAULT;
        if (signIn == null) signIn = io.parley.auth.SignInSettings.DEFAULT;
        // the language of what the node writes for people when it knows no reader's: notifications to addresses that
        // are no account's, webhooks (web.i18n.Lang codes)
        if (language == null) language = io.parley.web.i18n.Lang.DEFAULT.code();
        String code = language;
        if (io.parley.web.i18n.Lang.of(code).filter(l -> l.code().equals(code)).isEmpty()) {
            throw new IllegalArgumentException("language must be one of en, ru, fr, es, zh, ar (it is " + language + ")");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535");
        // a node with TLS serves HTTPS only, so a card naming http:// would send peers to a port that does not speak it
        if (tls != null && baseUrl != null && !baseUrl.isEmpty() && !baseUrl.startsWith("https://")) {
            throw new IllegalArgumentException("base_url must start with https:// when tls is set (it is " + baseUrl + ")");
        }
    }

    /** The scheme peers and clients reach this node with. */
    public String scheme() {
        return tls != null ? "https" : "http";
    }

    public String jdbcUrl(Path dir) {
        return db != null ? db : "jdbc:sqlite:" + dir.resolve(SQLITE_FILE).toAbsolutePath();
    }

    public NodeConfig withPort(int newPort) {
        return new NodeConfig(origin, displayName, organisationKind, country, bind, newPort,
                baseUrl.replaceFirst(":\\d+$", ":" + newPort), db, dbUser, dbPassword, validFrom, contacts, previousKey, rotationSig, tls, throttling, signIn, language);
    }

    public NodeConfig withDb(String url, String user, String password) {
        return new NodeConfig(origin, displayName, organisationKind, country, bind, port, baseUrl, url, user, password, validFrom, contacts,
                previousKey, rotationSig, tls, throttling, signIn, language);
    }

    /** After a key rotation: the card names the previous key and carries its hand-over signature. */
    public NodeConfig withRotation(String previous, String signature) {
        return new NodeConfig(origin, displayName, organisationKind, country, bind, port, baseUrl, db, dbUser, dbPassword, validFrom, contacts,
                previous, signature, tls, throttling, signIn, language);
    }

    /** The same node with other sign-in throttling and peer rate limits. */
    public NodeConfig withThrottling(Throttling settings) {
        return new NodeConfig(origin, displayName, organisationKind, country, bind, port, baseUrl, db, dbUser, dbPassword, validFrom, contacts,
                previousKey, rotationSig, tls, settings, signIn, language);
    }

    /** The same node with other session timeouts or second-factor rule. */
    public NodeConfig withSignIn(io.parley.auth.SignInSettings settings) {
        return new NodeConfig(origin, displayName, organisationKind, country, bind, port, baseUrl, db, dbUser, dbPassword, validFrom, contacts,
                previousKey, rotationSig, tls, throttling, settings, language);
    }

    /** The same node serving HTTPS with {@code settings}; the base URL's scheme follows. */
    public NodeConfig withTls(TlsSettings settings) {
        String url = baseUrl == null ? null : baseUrl.replaceFirst("^https?://", settings != null ? "https://" : "http://");
        return new NodeConfig(origin, displayName, organisationKind, country, bind, port, url, db, dbUser, dbPassword, validFrom, contacts,
                previousKey, rotationSig, settings, throttling, signIn, language);
    }

    public static NodeConfig load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) throw new IOException("no node in " + dir + " (missing " + FILE + "); run 'parley init --dir " + dir + " --name ORIGIN' first");
        JsonNode o;
        try {
            o = Json.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is " + e.getMessage());
        }
        List<PartyCard.Contact> contacts = new ArrayList<>();
        for (JsonNode c : o.path("contacts")) {
            List<String> langs = new ArrayList<>();
            c.path("languages").forEach(l -> langs.add(l.asText()));
            contacts.add(new PartyCard.Contact(c.path("role").asText(), c.path("name").asText(), text(c, "email"),
                    text(c, "phone"), text(c, "hours"), langs));
        }
        try {
            return new NodeConfig(o.path("origin").asText(), o.path("display_name").asText(), o.path("organisation_kind").asText("CERT"),
                    text(o, "country"), o.path("bind").asText("127.0.0.1"), o.path("port").asInt(8440), o.path("base_url").asText(),
                    text(o, "db"), text(o, "db_user"), text(o, "db_password"), o.path("valid_from").asText(), contacts,
                    text(o, "previous_key"), text(o, "rotation_sig"), tls(o.get("tls")), Throttling.fromJson(o.get("throttle")), signIn(o),
                    text(o, "language"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** Writes atomically (temp file + rename) so that a crash never leaves half a config. */
    public void save(Path dir) throws IOException {
        ObjectNode o = Json.object();
        o.put("origin", origin);
        o.put("display_name", displayName);
        o.put("organisation_kind", organisationKind);
        if (country != null) o.put("country", country);
        o.put("bind", bind);
        o.put("port", port);
        o.put("base_url", baseUrl);
        if (db != null) o.put("db", db);
        if (dbUser != null) o.put("db_user", dbUser);
        if (dbPassword != null) o.put("db_password", dbPassword);
        o.put("valid_from", validFrom);
        if (previousKey != null) o.put("previous_key", previousKey);
        if (rotationSig != null) o.put("rotation_sig", rotationSig);
        if (tls != null) {
            ObjectNode t = o.putObject("tls").put("cert", tls.cert()).put("key", tls.key());
            if (tls.ca() != null) t.put("ca", tls.ca());
            t.put("mutual", tls.mutual());
        }
        if (!throttling.equals(Throttling.DEFAULT)) o.set("throttle", throttling.toJson());
        o.put("session_idle_minutes", signIn.idleTimeout().toMinutes());
        o.put("session_max_hours", signIn.absoluteTimeout().toHours());
        o.put("require_2fa_for_admin", signIn.require2faForAdmin());
        o.put("language", language);
        ArrayNode cs = o.putArray("contacts");
        for (PartyCard.Contact c : contacts) {
            ObjectNode co = cs.addObject().put("role", c.role()).put("name", c.name());
            if (c.email() != null) co.put("email", c.email());
            if (c.phone() != null) co.put("phone", c.phone());
            if (c.hours() != null) co.put("hours", c.hours());
            ArrayNode langs = co.putArray("languages");
            c.languages().forEach(langs::add);
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(NodeFiles.FILE)); // never readable by others, not even briefly
        Files.writeString(tmp, Json.pretty(o) + "\n");
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static TlsSettings tls(JsonNode t) {
        if (t == null || t.isNull()) return null;
        if (!t.isObject()) throw new IllegalArgumentException("tls must be an object {cert, key, ca, mutual}");
        if (t.has("mutual") && !t.get("mutual").isBoolean()) throw new IllegalArgumentException("tls.mutual must be true or false");
        return new TlsSettings(text(t, "cert"), text(t, "key"), text(t, "ca"), t.path("mutual").asBoolean(false));
    }

    /** Web sign-in: session timeouts (whole minutes and hours) and whether admins need a second factor. */
    private static io.parley.auth.SignInSettings signIn(JsonNode o) {
        var d = io.parley.auth.SignInSettings.DEFAULT;
        long idle = positive(o, "session_idle_minutes", d.idleTimeout().toMinutes());
        long max = positive(o, "session_max_hours", d.absoluteTimeout().toHours());
        JsonNode require = o.get("require_2fa_for_admin");
        if (require != null && !require.isBoolean()) throw new IllegalArgumentException("require_2fa_for_admin must be true or false");
        return new io.parley.auth.SignInSettings(java.time.Duration.ofMinutes(idle), java.time.Duration.ofHours(max),
                require != null && require.asBoolean());
    }

    private static long positive(JsonNode o, String name, long fallback) {
        JsonNode v = o.get(name);
        if (v == null || v.isNull()) return fallback;
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 100_000) {
            throw new IllegalArgumentException(name + " must be a whole number from 1 to 100000");
        }
        return v.asLong();
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
