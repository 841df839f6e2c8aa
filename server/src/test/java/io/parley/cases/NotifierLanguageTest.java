package io.parley.cases;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import io.parley.json.Json;
import io.parley.node.NodeConfig;
import io.parley.store.Database;
import io.parley.store.UserStore;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;
import io.parley.web.i18n.Lang;

/**
 * Notifications in each recipient's language, through a real SMTP server and a real webhook on loopback: a Russian
 * duty officer's account reads Russian, an English one English, a plain address and the webhook the node's default
 * language (or the webhook's own); structured values are translated, free text (a rung's role) is as written, and an
 * exercise is marked [EXERCISE] in every language.
 */
class NotifierLanguageTest {
    @TempDir Path tmp;

    static final Instant DUE = Instant.parse("2026-11-23T08:15:00Z");

    static Notice escalation() {
        return Notice.of("escalation.ack", "case-1", "head of CERT", DUE, new Notice.Term("notify.kind.request"),
                new Notice.Term("notify.priority.flash"), "cert-a.example", "tri");
    }

    static MimeMessage to(GreenMail smtp, String address) throws Exception {
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(address))) return m;
        }
        return null;
    }

    @Test
    void eachRecipientReadsTheNotificationInItsOwnLanguage() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        io.parley.testing.WebhookSink hook = io.parley.testing.WebhookSink.start();
        List<String> posted = hook.posted();
        try (Database db = Database.open(TestDatabases.freshUrl(TestDatabases.SQLITE, tmp))) {
            UserStore users = new UserStore(db);
            users.put("ivanov", "x", "officer", Instant.now());
            users.setLanguage("ivanov", "ru");
            users.put("smith", "x", "officer", Instant.now());
            users.setLanguage("smith", "en");
            users.put("dupont", "x", "officer", Instant.now()); // chose no language: the node's
            var to = Json.MAPPER.createArrayNode();
            to.addObject().put("address", "ivanov@cert-a.example").put("user", "ivanov");
            to.addObject().put("address", "smith@cert-a.example").put("user", "smith");
            to.addObject().put("address", "dupont@cert-a.example").put("user", "dupont");
            to.add("desk@cert-a.example");
            var settings = Json.object();
            settings.set("webhook", Json.object().put("url", hook.url()).put("lang", "ru"));
            settings.set("smtp", Json.object().put("host", "127.0.0.1").put("port", smtp.getSmtp().getPort()).put("from", "parley@cert-a.example").set("to", to));
            Files.writeString(tmp.resolve(Notifier.FILE), Json.write(settings));
            Notifier notifier = new Notifier(new NotificationStore(db), Notifier.load(tmp), new MutableClock(Instant.parse("2026-11-23T10:00:00Z")),
                    Lang.FR, users::language);

            notifier.notify("case-1", "tri", false, escalation(), Json.object().put("event", "escalation").put("case", "case-1").put("role", "head of CERT"));
            // one e-mail per language (ru, en, and fr to two addresses), which the server files once per mailbox
            assertTrue(smtp.waitForIncomingEmail(10_000, 3));
            MimeMessage ru = to(smtp, "ivanov@cert-a.example");
            assertEquals("[Parley] Дело case-1: пропущен срок подтверждения получения, эскалация: head of CERT", ru.getSubject(), "the role is free text, as written");
            assertTrue(decoded(ru).contains("Вид: запрос · срочность: молния · открыто: cert-a.example · канал tri"), decoded(ru));
            assertTrue(decoded(ru).contains("2026-11-23 08:15:00 UTC"), "the deadline in the reader's way: " + decoded(ru));
            assertTrue(decoded(ru).contains("\"role\" : \"head of CERT\""), "the machine-readable details follow");
            MimeMessage en = to(smtp, "smith@cert-a.example");
            assertEquals("[Parley] Case case-1: ack deadline missed, escalated to head of CERT", en.getSubject());
            assertTrue(decoded(en).contains("Kind: request · priority: flash · opened by cert-a.example · channel tri"), decoded(en));
            MimeMessage fr = to(smtp, "dupont@cert-a.example");
            assertEquals(2, fr.getRecipients(Message.RecipientType.TO).length, "a plain address and an account without a language share the node's language, in one e-mail");
            assertEquals("[Parley] Dossier case-1 : délai d’accusé de réception dépassé, escalade vers head of CERT", fr.getSubject());
            assertTrue(TestNodes.eventually(10, () -> posted.size() == 1));
            var event = Json.parse(posted.get(0));
            assertEquals("ru", event.path("lang").asText(), "the webhook's own language");
            assertEquals("Дело case-1: пропущен срок подтверждения получения, эскалация: head of CERT", event.path("text").asText());
            assertEquals("escalation", event.path("event").asText(), "the event's fields as before");
            assertTrue(TestNodes.eventually(10, () -> notifier.sent("case-1").size() == 5), notifier.sent("case-1").toString());
            assertTrue(notifier.sent("case-1").stream().allMatch(s -> s.subject().equals("Case case-1: ack deadline missed, escalated to head of CERT")),
                    "the record keeps English, as the API and CLI do: " + notifier.sent("case-1"));

            // an exercise is marked the same in every language
            notifier.notify("drill-1", "tri", true, escalation(), Json.object().put("event", "escalation"));
            assertTrue(TestNodes.eventually(10, () -> notifier.sent("drill-1").stream().filter(x -> x.method().equals("email")).count() == 3),
                    notifier.sent("drill-1").toString());
            assertTrue(smtp.waitForIncomingEmail(10_000, 6));
            List<MimeMessage> russian = Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
                try {
                    return m.getSubject().contains("Дело");
                } catch (Exception e) {
                    return false;
                }
            }).toList();
            assertEquals(2, russian.size(), Arrays.stream(smtp.getReceivedMessages()).map(m -> {
                try {
                    return m.getSubject();
                } catch (Exception e) {
                    return "?";
                }
            }).toList().toString());
            MimeMessage drill = russian.stream().filter(m -> m != ru).findFirst().orElseThrow();
            assertTrue(drill.getSubject().startsWith("[EXERCISE] [Parley] Дело "), drill.getSubject());
            assertTrue(decoded(drill).startsWith("[EXERCISE] Это учения, а не реальный инцидент."), decoded(drill));
            assertTrue(TestNodes.eventually(10, () -> posted.size() == 2));
            assertTrue(Json.parse(posted.get(1)).path("text").asText().startsWith("[EXERCISE] Дело"));
            assertTrue(Json.parse(posted.get(1)).path("exercise").asBoolean());
        } finally {
            hook.close();
            smtp.stop();
        }
    }

    @Test
    void pluralsAndUnknownLanguagesAreHandled() throws Exception {
        var t = io.parley.web.i18n.Texts.of(Lang.RU);
        Notice hold = Notice.of("hold", "case-2", DUE, 7, "cert-a.example", "tri");
        assertTrue(hold.subject(t).contains("не более чем через 7 дней"), hold.subject(t));
        assertTrue(Notice.of("hold", "case-2", DUE, 1, "cert-a.example", "tri").subject(io.parley.web.i18n.Texts.english()).contains("(in 1 day or less)"));
        // a language no desk speaks is refused when the node starts, not discovered when a deadline passes
        Files.writeString(tmp.resolve(Notifier.FILE), "{\"webhook\": {\"url\": \"http://127.0.0.1:9/\", \"lang\": \"klingon\"}}");
        assertThrows(java.io.IOException.class, () -> Notifier.load(tmp));
        Files.writeString(tmp.resolve(NodeConfig.FILE), "{\"origin\": \"cert-a.example\", \"language\": \"de\"}");
        var refused = assertThrows(java.io.IOException.class, () -> NodeConfig.load(tmp));
        assertTrue(refused.getMessage().contains("language"), refused.getMessage());
        Files.writeString(tmp.resolve(NodeConfig.FILE), "{\"origin\": \"cert-a.example\"}");
        assertEquals("en", NodeConfig.load(tmp).language(), "English unless the node says otherwise");
    }

    private static String decoded(MimeMessage m) throws Exception {
        Object c = m.getContent();
        return c instanceof String s ? s : GreenMailUtil.getBody(m);
    }
}
