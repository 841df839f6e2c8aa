package io.parley.cases;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import io.parley.json.Json;
import io.parley.store.Database;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;

/** A notification about an exercise starts with [EXERCISE] in the log record, the e-mail's subject and text, and the webhook. */
class ExerciseNotificationTest {
    @TempDir Path tmp;

    @Test
    void anExerciseSaysSoFirstInEveryChannel() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        io.parley.testing.WebhookSink hook = io.parley.testing.WebhookSink.start();
        List<String> posted = hook.posted();
        try (Database db = Database.open(TestDatabases.freshUrl(TestDatabases.SQLITE, tmp))) {
            java.nio.file.Files.writeString(tmp.resolve(Notifier.FILE), Json.write(Json.object()
                    .put("webhook", hook.url())
                    .set("smtp", Json.object().put("host", "127.0.0.1").put("port", smtp.getSmtp().getPort()).put("from", "parley@cert-a.example")
                            .set("to", Json.MAPPER.createArrayNode().add("duty@cert-a.example")))));
            Notifier notifier = new Notifier(new NotificationStore(db), Notifier.load(tmp), new MutableClock(Instant.parse("2026-11-23T10:00:00Z")));
            notifier.notify("drill-1", "tri", true, "Case drill-1: ack deadline missed, escalated to head of CERT",
                    Json.object().put("event", "escalation").put("case", "drill-1"));
            assertTrue(smtp.waitForIncomingEmail(10_000, 1));
            var mail = smtp.getReceivedMessages()[0];
            assertEquals("[EXERCISE] [Parley] Case drill-1: ack deadline missed, escalated to head of CERT", mail.getSubject());
            assertTrue(GreenMailUtil.getBody(mail).startsWith("[EXERCISE] This is an exercise"), GreenMailUtil.getBody(mail));
            assertTrue(TestNodes.eventually(10, () -> posted.size() == 1));
            var event = Json.parse(posted.get(0));
            assertTrue(event.path("exercise").asBoolean());
            assertTrue(event.path("text").asText().startsWith("[EXERCISE] "));
            assertEquals("escalation", event.path("event").asText());
            assertTrue(TestNodes.eventually(10, () -> notifier.sent("drill-1").size() == 3));
            assertTrue(notifier.sent("drill-1").stream().allMatch(s -> s.subject().startsWith("[EXERCISE] ")), notifier.sent("drill-1").toString());

            notifier.notify("real-1", "tri", false, "Case real-1: ack deadline missed", Json.object().put("event", "escalation"));
            assertTrue(smtp.waitForIncomingEmail(10_000, 2));
            assertEquals("[Parley] Case real-1: ack deadline missed", smtp.getReceivedMessages()[1].getSubject());
            assertTrue(TestNodes.eventually(10, () -> posted.size() == 2));
            assertFalse(Json.parse(posted.get(1)).has("exercise"));
        } finally {
            hook.close();
            smtp.stop();
        }
    }
}
