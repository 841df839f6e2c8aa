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
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Tells the people on duty here that a deadline passed or a case escalated: always in the log and the
 * {@code notifications} table, and by webhook and e-mail when {@code notify.json} in the node directory configures
 * them ({@code {"webhook": URL, "smtp": {"host", "port", "from", "to": [...], "username", "password", "starttls"}}}).
 * Sending never blocks the deadline clock: each notification goes out on its own virtual thread.
 */
public final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    public static final String FILE = "notify.json";

    /** What notify.json says. */
    public record Settings(String webhook, Smtp smtp) {
        public static final Settings NONE = new Settings(null, null);
    }

    public record Smtp(String host, int port, String from, List<String> to, String username, String password, boolean starttls) {}

    private final NotificationStore store;
    private final Settings settings;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public Notifier(NotificationStore store, Settings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
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
            List<String> to = new ArrayList<>();
            s.path("to").forEach(t -> to.add(t.asText()));
            smtp = new Smtp(s.path("host").asText("127.0.0.1"), s.path("port").asInt(25), s.path("from").asText("parley@localhost"), to,
                    s.hasNonNull("username") ? s.get("username").asText() : null, s.hasNonNull("password") ? s.get("password").asText() : null,
                    s.path("starttls").asBoolean(false));
        }
        return new Settings(o.hasNonNull("webhook") ? o.get("webhook").asText() : null, smtp);
    }

    /** What starts every notification about an exercise, so no one on duty takes a drill for an incident. */
    public static final String EXERCISE = "[EXERCISE]";

    /**
     * {@link #notify(String, String, String, ObjectNode)} about a case that may be an exercise: then the recorded
     * subject, the e-mail's subject and text and the webhook's event all start with {@value #EXERCISE} (the event
     * also says {@code "exercise": true}).
     */
    public void notify(String caseId, String channel, boolean exercise, String subject, ObjectNode event) {
        if (!exercise) {
            notify(caseId, channel, subject, event);
            return;
        }
        ObjectNode marked = Json.object().put("exercise", true).put("text", EXERCISE + " " + subject);
        marked.setAll(event);
        send(caseId, channel, EXERCISE + " " + subject, EXERCISE + " [Parley] " + subject,
                EXERCISE + " This is an exercise, not a real incident.\n\n", marked);
    }

    /** Sends {@code event} by every configured means and records each outcome. */
    public void notify(String caseId, String channel, String subject, ObjectNode event) {
        send(caseId, channel, subject, "[Parley] " + subject, "", event);
    }

    private void send(String caseId, String channel, String subject, String mailSubject, String mailPreface, ObjectNode event) {
        LOG.warn("{} [{}]", subject, caseId);
        record(caseId, channel, "log", null, subject, "sent", null);
        if (settings.webhook() != null) Thread.ofVirtual().start(() -> webhook(caseId, channel, subject, event));
        if (settings.smtp() != null && !settings.smtp().to().isEmpty()) {
            Thread.ofVirtual().start(() -> email(caseId, channel, subject, mailSubject, mailPreface, event));
        }
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

    private void email(String caseId, String channel, String subject, String mailSubject, String mailPreface, ObjectNode event) {
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
            for (String to : s.to()) m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
            m.setSubject(mailSubject, "UTF-8");
            m.setText(mailPreface + Json.pretty(event) + "\n", "UTF-8");
            if (s.username() != null) Transport.send(m, s.username(), s.password());
            else Transport.send(m);
            record(caseId, channel, "email", String.join(",", s.to()), subject, "sent", null);
        } catch (MessagingException | RuntimeException e) {
            record(caseId, channel, "email", String.join(",", s.to()), subject, "failed", e.toString());
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
