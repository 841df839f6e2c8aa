package io.parley.charter;

import static org.junit.jupiter.api.Assertions.*;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;

import org.junit.jupiter.api.Test;

/** The slots of a scheduled ping exercise: the latest at or before a time, the next, and their count. */
class PingExerciseSlotsTest {
    final Practice.PingExercise monday = new Practice.PingExercise(DayOfWeek.MONDAY, LocalTime.of(10, 0), "human");
    final Practice.PingExercise daily = new Practice.PingExercise(null, LocalTime.of(9, 30), "auto");

    @Test
    void theLatestWeeklySlotIsThisMondayOnceItsTimeHasComeElseLastMonday() {
        // 30 November 2026 is a Monday
        assertEquals(Instant.parse("2026-11-23T10:00:00Z"), monday.latestSlot(Instant.parse("2026-11-30T09:59:59Z")));
        assertEquals(Instant.parse("2026-11-30T10:00:00Z"), monday.latestSlot(Instant.parse("2026-11-30T10:00:00Z")));
        assertEquals(Instant.parse("2026-11-30T10:00:00Z"), monday.latestSlot(Instant.parse("2026-12-06T23:59:00Z")));
        assertEquals(Instant.parse("2026-12-07T10:00:00Z"), monday.nextSlot(Instant.parse("2026-12-01T08:00:00Z")));
    }

    @Test
    void theLatestDailySlotIsTodayOrYesterday() {
        assertEquals(Instant.parse("2026-11-29T09:30:00Z"), daily.latestSlot(Instant.parse("2026-11-30T09:29:00Z")));
        assertEquals(Instant.parse("2026-11-30T09:30:00Z"), daily.latestSlot(Instant.parse("2026-11-30T18:00:00Z")));
        assertEquals(Instant.parse("2026-12-01T09:30:00Z"), daily.nextSlot(Instant.parse("2026-11-30T18:00:00Z")));
    }

    @Test
    void consecutiveSlotsHaveConsecutiveNumbersSoTurnsGoRound() {
        Instant s = monday.latestSlot(Instant.parse("2026-11-30T12:00:00Z"));
        assertEquals(monday.slotNumber(s) + 1, monday.slotNumber(s.plus(monday.period())));
        Instant d = daily.latestSlot(Instant.parse("2026-11-30T12:00:00Z"));
        assertEquals(daily.slotNumber(d) + 1, daily.slotNumber(d.plus(daily.period())));
        assertEquals(daily.slotNumber(d), daily.slotNumber(daily.latestSlot(d.plusSeconds(3600))), "every time until the next slot names the same slot");
    }
}
