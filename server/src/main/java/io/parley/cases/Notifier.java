package io.parley.cases;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import io.parley.web.i18n.Lang;
import io.parley.web.i18n.Texts;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Tells the people on duty here that a deadline passed or a case escalated: always in the log and the
 * {@code notifications} table, and by webhook and e-mail when {@code notify.json} in the node directory configures
 * them ({@code {"webhook": URL or {"url", "lang"}, "smtp": {"host", "port", "from", "to": [...], "username", "password",
 * "starttls"}}}). Sending never blocks the deadline clock: each notification goes out on its own virtual thread.
 *
 * <p>Each recipient reads it in its own language ({@link Notice}): an e-mail address given as {@code {"address",
 * "user"}} in that local account's language, {@code {"address", "lang"}} in that language, a plain address and the
 * webhook in the node's default language ({@code language} in {@code parley.json}) unless the webhook names its own
 * {@code lang}. One e-mail goes to each language's recipients. The log and the {@code notifications} table keep the
 * subject in English, as the CLI and the API do (stable for scripts). {@value #EXERCISE} marks an exercise the same way
 * in every language.
 */
public final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    public static final String FILE = "notify.json";

    /** What notify.json says: the webhook (and its language, null for the node's) and the mail server. */
    public record Settings(String webhook, Smtp smtp, String webhookLang) {
        public static final Settings NONE = new Settings(null, null, null);

        public Settings(String webhook, Smtp smtp) {
            this(webhook, smtp, null);
        }
    }

    /** One addressee: the address, and the local account or the language it reads in (both null: the node's language). */
    public record Recipient(String address, String user, String lang) {}

    public record Smtp(String host, int port, String from, List<Recipient> recipients, String username, String password, boolean starttls) {
        /** The addresses alone. */
        public List<String> to() {
            return recipients.stream().map(Recipient::address).toList();
        }
    }

    private final NotificationStore store;
    private final Settings settings;
    private final Clock clock;
    private final Lang nodeLang;
    private final Function<String, Optional<String>> userLanguage;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** A notifier writing in English to everyone (no accounts known). */
    public Notifier(NotificationStore store, Settings settings, Clock clock) {
        this(store, settings, clock, Lang.DEFAULT, user -> Optional.empty());
    }

    /**
     * @param nodeLang the node's default language
     * @param userLanguage the language a local account chose ({@code UserStore.language}), if any
     */
    public Notifier(NotificationStore store, Settings settings, Clock clock, Lang nodeLang, Function<String, Optional<String>> userLanguage) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.nodeLang = nodeLang;
        this.userLanguage = userLanguage;
    }

    public static Settings load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return Settings.NONE;
        JsonNode o;
        try {
            o = Json.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is " + e.getMessage());
        }
        Smtp smtp = null;
        JsonNode s = o.get("smtp");
        if (s != null && s.isObject()) {
            List<Recipient> to = new ArrayList<>();
            for (JsonNode t : s.path("to")) {
                if (t.isObject()) {
                    if (!t.path("address").isTextual()) throw new IOException(file + ": smtp.to entries are addresses or {\"address\", \"user\" or \"lang\"}");
                    to.add(new Recipient(t.get("address").asText(), text(t, "user"), lang(file, text(t, "lang"))));
                } else {
                    to.add(new Recipient(t.asText(), null, null));
                }
            }
            smtp = new Smtp(s.path("host").asText("127.0.0.1"), s.path("port").asInt(25), s.path("from").asText("parley@localhost"), to,
                    text(s, "username"), text(s, "password"), s.path("starttls").asBoolean(false));
        }
        JsonNode w = o.get("webhook");
        if (w != null && w.isObject()) return new Settings(text(w, "url"), smtp, lang(file, text(w, "lang")));
        return new Settings(w != null && !w.isNull() ? w.asText() : null, smtp, null);
    }

    private static String text(JsonNode o, String name) {
        return o.hasNonNull(name) ? o.get(name).asText() : null;
    }

    /** A configured language: one of the six, or the file is refused at start rather than a notification lost later. */
    private static String lang(Path file, String code) throws IOException {
        if (code == null) return null;
        return Lang.of(code).map(Lang::code).orElseThrow(() -> new IOException(file + ": lang must be one of en, ru, fr, es, zh, ar (it is " + code + ")"));
    }

    /** What starts every notification about an exercise, so no one on duty takes a drill for an incident. */
    public static final String EXERCISE = "[EXERCISE]";

    /** {@link #notify(String, String, boolean, Notice, ObjectNode)} with a subject written by the caller, the same in every language. */
    public void notify(String caseId, String channel, boolean exercise, String subject, ObjectNode event) {
        notify(caseId, channel, exercise, Notice.literal(subject), event);
    }

    /** {@link #notify(String, String, boolean, Notice, ObjectNode)} about something that is no exercise. */
    public void notify(String caseId, String channel, String subject, ObjectNode event) {
        notify(caseId, channel, false, Notice.literal(subject), event);
    }

    /** {@link #notify(String, String, boolean, Notice, ObjectNode)} about something that is no exercise. */
    public void notify(String caseId, String channel, Notice notice, ObjectNode event) {
        notify(caseId, channel, false, notice, event);
    }

    /**
     * Sends {@code event} by every configured means, {@code notice} written in each recipient's language, and records
     * each outcome. About an exercise, the recorded subject, every e-mail's subject and text and the webhook's text start
     * with {@value #EXERCISE} (the webhook's event also says {@code "exercise": true}).
     */
    public void notify(String caseId, String channel, boolean exercise, Notice notice, ObjectNode event) {
        String recorded = (exercise ? EXERCISE + " " : "") + notice.subject(Texts.english());
        LOG.warn("{} [{}]", recorded, caseId);
        record(caseId, channel, "log", null, recorded, "sent", null);
        if (settings.webhook() != null) {
            Lang lang = settings.webhookLang() != null ? Lang.of(settings.webhookLang()).orElse(nodeLang) : nodeLang;
            Texts t = Texts.of(lang);
            ObjectNode hooked = Json.object();
            if (exercise) hooked.put("exercise", true);
            hooked.put("text", (exercise ? EXERCISE + " " : "") + notice.subject(t)).put("lang", lang.code());
            hooked.setAll(event);
            Thread.ofVirtual().start(() -> webhook(caseId, channel, recorded, hooked));
        }
        if (settings.smtp() != null && !settings.smtp().recipients().isEmpty()) {
            Map<Lang, List<String>> byLang = new TreeMap<>();
            for (Recipient r : settings.smtp().recipients()) byLang.computeIfAbsent(languageOf(r), l -> new ArrayList<>()).add(r.address());
            byLang.forEach((lang, to) -> Thread.ofVirtual().start(() -> email(caseId, channel, recorded, to, mail(Texts.of(lang), exercise, notice, event))));
        }
    }

    /** The language {@code r} reads: its own, its account's, or the node's. */
    private Lang languageOf(Recipient r) {
        if (r.lang() != null) return Lang.of(r.lang()).orElse(nodeLang);
        if (r.user() != null) return userLanguage.apply(r.user()).flatMap(Lang::of).orElse(nodeLang);
        return nodeLang;
    }

    /** An e-mail's subject and text in one language. */
    private record Mail(String subject, String text) {}

    private static Mail mail(Texts t, boolean exercise, Notice notice, ObjectNode event) {
        String marker = exercise ? EXERCISE + " " : "";
        StringBuilder text = new StringBuilder();
        if (exercise) text.append(marker).append(t.t("notify.exercise")).append("\n\n");
        String body = notice.body(t);
        if (!body.isEmpty()) text.append(body).append("\n\n").append(t.t("notify.details")).append("\n");
        text.append(Json.pretty(event)).append("\n");
        return new Mail(marker + "[Parley] " + notice.subject(t), text.toString());
    }

    private void webhook(String caseId, String channel, String subject, ObjectNode event) {
        try {
            // Only the status matters; the answer is read through the capped reader so a bad endpoint cannot flood us.
            HttpResponse<byte[]> res = io.parley.federation.CappedResponses.send(http, HttpRequest.newBuilder(URI.create(settings.webhook()))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(event))).build(), 64 * 1024, Duration.ofSeconds(20));
            record(caseId, channel, "webhook", settings.webhook(), subject, res.statusCode() < 300 ? "sent" : "failed", "HTTP " + res.statusCode());
        } catch (IOException | RuntimeException e) {
            record(caseId, channel, "webhook", settings.webhook(), subject, "failed", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void email(String caseId, String channel, String subject, List<String> recipients, Mail mail) {
        Smtp s = settings.smtp();
        Properties props = new Properties();
        props.put("mail.smtp.host", s.host());
        props.put("mail.smtp.port", Integer.toString(s.port()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        if (s.starttls()) props.put("mail.smtp.starttls.enable", "true");
        if (s.username() != null) props.put("mail.smtp.auth", "true");
        try {
            Session session = Session.getInstance(props);
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(s.from()));
            for (String to : recipients) m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            m.setSubject(mail.subject(), "UTF-8");
            m.setText(mail.text(), "UTF-8");
            if (s.username() != null) Transport.send(m, s.username(), s.password());
            else Transport.send(m);
            record(caseId, channel, "email", String.join(",", recipients), subject, "sent", null);
        } catch (MessagingException | RuntimeException e) {
            record(caseId, channel, "email", String.join(",", recipients), subject, "failed", e.toString());
        }
    }

    private void record(String caseId, String channel, String method, String target, String subject, String status, String detail) {
        store.record(caseId, channel, clock.instant(), method, target, subject, status, detail);
    }

    /** One recorded notification. */
    public record Sent(String caseId, String method, String subject, String status) {}

    public List<Sent> sent(String caseId) {
        return store.sent(caseId);
    }
}
