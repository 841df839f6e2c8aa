package io.parley.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The CSV form of the responsiveness report, read back by an RFC 4180 parser as a spreadsheet would. */
class ResponsivenessReportCsvTest {
    static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z"), TO = Instant.parse("2026-12-01T00:00:00Z");

    static ResponsivenessReport.Row row(String party) {
        return new ResponsivenessReport.Row(party, 2, 2, 1, 1, 0, 0, Duration.ofMinutes(5), Duration.ofMinutes(5), null, null, 0, 0, 1,
                Duration.ofSeconds(90), new ResponsivenessReport.Decided(1, 1, 0));
    }

    static List<CSVRecord> read(String csv) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }

    @Test
    void fieldWithLineBreakQuoteAndCommaStaysOneField() throws Exception {
        String channel = "ops,\"night\"\nshift";
        // a line break alone (no comma or quote beside it) is what the hand-written writer left unquoted
        var report = new ResponsivenessReport(channel, FROM, TO, TO, List.of(row("cert-b.example"), row("night\nshift"), row("cert-c.example")));
        String csv = report.toCsv();
        List<CSVRecord> records = read(csv);
        assertEquals(3, records.size(), csv);
        assertEquals(channel, records.get(0).get("channel"), "the line break, quote and comma come back as written");
        assertEquals("cert-b.example", records.get(0).get("party"));
        assertEquals("night\nshift", records.get(1).get("party"));
        assertEquals("cert-c.example", records.get(2).get("party"));
        assertEquals("90", records.get(2).get("line_downtime_seconds"));
        assertTrue(csv.contains("\"ops,\"\"night\"\"\nshift\""), csv);
    }

    @Test
    void plainReportKeepsItsFormat() {
        var report = new ResponsivenessReport("tri", FROM, TO, TO, List.of(row("cert-b.example")));
        assertEquals("channel,party,from,to,cases,requests,acknowledged_in_time,acknowledgement_missed,acknowledged_in_time_percent,"
                + "answered_in_time,answer_missed,answered_in_time_percent,median_ack_seconds,p90_ack_seconds,median_answer_seconds,"
                + "p90_answer_seconds,ping_tests,ping_tests_failed,line_outages,line_downtime_seconds,accepted,declined,deferred,clock_findings,figures,contacts_overdue_since\n"
                + "tri,cert-b.example,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,2,2,1,1,50.0,0,0,,300,300,,,0,0,1,90,1,1,0,0,real,\n", report.toCsv());
    }

    @Test
    void partyNamedLikeAFormulaIsReadAsText() throws Exception {
        List<String> hostile = List.of("=cmd|' /C calc'!A0", "+1+cmd", "-2+3", "@SUM(1,1)", "=HYPERLINK(\"http://x.example\",\"open\")");
        var report = new ResponsivenessReport("tri", FROM, TO, TO, hostile.stream().map(ResponsivenessReportCsvTest::row).toList());
        List<CSVRecord> records = read(report.toCsv());
        for (int i = 0; i < hostile.size(); i++) {
            assertEquals("'" + hostile.get(i), records.get(i).get("party"), "a leading apostrophe keeps a spreadsheet from evaluating it");
        }
    }
}
