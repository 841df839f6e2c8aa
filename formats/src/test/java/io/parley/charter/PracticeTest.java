package io.parley.charter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;

class PracticeTest {

    private static Charter plain() {
        var a = SigningKey.generate("a.example/parley");
        var b = SigningKey.generate("b.example/parley");
        var d = new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4));
        return new Charter("line", "Line", Level.TECHNICAL,
                List.of(new Charter.Member("a.example/parley", a.verifierKey(), null), new Charter.Member("b.example/parley", b.verifierKey(), null)),
                Map.of(Priority.FLASH, d, Priority.URGENT, d, Priority.ROUTINE, d), Tlp.AMBER, List.of());
    }

    @Test
    void aCharterWithoutPracticeTermsKeepsItsFormAndHash() {
        Charter c = plain();
        ObjectNode json = c.toJson();
        for (String term : List.of("clock_skew", "commitments", "contacts_reconfirm", "ping_exercises")) assertFalse(json.has(term), term);
        Charter back = Charter.fromJson(json);
        assertEquals(Practice.DEFAULT, back.practice());
        assertEquals(c.hash(), back.hash());
    }

    @Test
    void termsSurviveTheRoundTripAndChangeTheHash() {
        Charter c = plain();
        Practice p = new Practice(Duration.ofMinutes(2),
                List.of(new Practice.Commitment("un-gge-2015:13f", null), new Practice.Commitment("free:non-interference", "Neither side targets the other's election systems.")),
                Duration.ofDays(182), List.of(new Practice.PingExercise(DayOfWeek.MONDAY, LocalTime.of(10, 0), "human")));
        Charter with = c.withPractice(p);
        Charter back = Charter.fromJson(Json.parse(Json.write(with.toJson())));
        assertEquals(p, back.practice());
        assertEquals(with.hash(), back.hash());
        assertTrue(!with.hash().equals(c.hash()));
        assertEquals("every monday 10:00 UTC, human ping", p.pingExercises().get(0).describe());
    }

    @Test
    void faultsNameTheirPlace() {
        ObjectNode json = plain().toJson();
        assertEquals("/clock_skew", fault(json.deepCopy().put("clock_skew", "five minutes")));
        assertEquals("/clock_skew", fault(json.deepCopy().put("clock_skew", "PT0S")));
        ObjectNode free = json.deepCopy();
        free.putArray("commitments").add("free:no-text");
        assertEquals("/commitments/0", fault(free));
        ObjectNode twice = json.deepCopy();
        twice.putArray("commitments").add("osce-cbm:3").add("osce-cbm:3");
        assertEquals("/commitments", fault(twice));
        ObjectNode ping = json.deepCopy();
        ping.putArray("ping_exercises").addObject().put("every", "someday").put("at", "10:00");
        assertEquals("/ping_exercises/0/every", fault(ping));
        ObjectNode at = json.deepCopy();
        at.putArray("ping_exercises").addObject().put("every", "monday").put("at", "25:00");
        assertEquals("/ping_exercises/0/at", fault(at));
    }

    private static String fault(ObjectNode json) {
        return assertThrows(EnvelopeFormatException.class, () -> Charter.fromJson(json)).field();
    }
}
