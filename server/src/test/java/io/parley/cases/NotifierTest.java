package io.parley.cases;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.parley.json.Json;
import io.parley.store.Database;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;

/** Escalation notifications reach a real SMTP server and a real webhook on loopback, and each outcome is recorded. */
class NotifierTest {
    @TempDir Path tmp;

    @Test
    void escalationGoesOutByEmailAndWebhookAndIsRecorded() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        io.parley.testing.WebhookSink hook = io.parley.testing.WebhookSink.start();
        List<String> posted = hook.posted();
        try (Database db = Database.open(TestDatabases.freshUrl(TestDatabases.SQLITE, tmp))) {
            int smtpPort = smtp.getSmtp().getPort();
            java.nio.file.Files.writeString(tmp.resolve(Notifier.FILE), Json.write(Json.object()
                    .put("webhook", hook.url())
                    .set("smtp", Json.object().put("host", "127.0.0.1").put("port", smtpPort).put("from", "parley@cert-a.example")
                            .set("to", Json.MAPPER.createArrayNode().add("duty@cert-a.example")))));
            Notifier notifier = new Notifier(new NotificationStore(db), Notifier.load(tmp), new MutableClock(Instant.parse("2026-11-23T10:00:00Z")));
            notifier.notify("case-1", "tri", "Case case-1: ack deadline missed, escalated to head of CERT",
                    Json.object().put("event", "escalation").put("case", "case-1").put("role", "head of CERT"));
            assertTrue(smtp.waitForIncomingEmail(10_000, 1), "an e-mail arrived");
            var mail = smtp.getReceivedMessages()[0];
            assertEquals("[Parley] Case case-1: ack deadline missed, escalated to head of CERT", mail.getSubject());
            assertTrue(com.icegreen.greenmail.util.GreenMailUtil.getBody(mail).contains("head of CERT"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (posted.isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertEquals(1, posted.size());
            assertEquals("escalation", Json.parse(posted.get(0)).path("event").asText());
            deadline = System.currentTimeMillis() + 10_000;
            while (notifier.sent("case-1").size() < 3 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            var sent = notifier.sent("case-1");
            assertEquals(List.of("email", "log", "webhook"), sent.stream().map(Notifier.Sent::method).sorted().toList());
            assertTrue(sent.stream().allMatch(s -> s.status().equals("sent")), sent.toString());
        } finally {
            hook.close();
            smtp.stop();
        }
    }

    @Test
    void anUnreachableMailServerIsRecordedAsFailedWithoutBlocking() throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(TestDatabases.SQLITE, tmp))) {
            java.nio.file.Files.writeString(tmp.resolve(Notifier.FILE), "{\"smtp\":{\"host\":\"127.0.0.1\",\"port\":1,\"to\":[\"x@example.org\"]}}");
            Notifier notifier = new Notifier(new NotificationStore(db), Notifier.load(tmp), new MutableClock(Instant.parse("2026-11-23T10:00:00Z")));
            long t0 = System.nanoTime();
            notifier.notify("case-2", "tri", "subject", Json.object());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000, "notify returns at once");
            long deadline = System.currentTimeMillis() + 15_000;
            while (notifier.sent("case-2").stream().noneMatch(s -> s.method().equals("email")) && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertTrue(notifier.sent("case-2").stream().anyMatch(s -> s.method().equals("email") && s.status().equals("failed")));
        }
    }
}
