package io.parley.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class CaseIdsTest {
    static final Instant T = Instant.parse("2026-11-30T05:00:00Z");

    @Test
    void aNewIdIsBoundToItsOpenerOnly() {
        String id = CaseIds.newId("cert-a.example", T);
        assertTrue(id.matches("case-2026-[0-9a-f]{10}-[0-9a-f]{8}"), id);
        assertTrue(CaseIds.boundTo(id, "cert-a.example"));
        assertFalse(CaseIds.boundTo(id, "evil.example"));
        assertFalse(CaseIds.boundTo(id, "cert-a.example."), "the origin exactly");
        assertNotEquals(id, CaseIds.newId("cert-a.example", T));
    }

    @Test
    void theTagIsSha256OfOriginNewlinePrefix() {
        String prefix = "case-2026-0123456789";
        String tag = io.parley.identity.Sha256.hex(("cert-a.example\n" + prefix).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 8);
        assertTrue(CaseIds.boundTo(prefix + "-" + tag, "cert-a.example"));
        assertFalse(CaseIds.boundTo(prefix + "-" + tag.toUpperCase(), "cert-a.example"), "lowercase only: one spelling per id");
    }

    @Test
    void anythingElseIsBoundToNobody() {
        String id = CaseIds.newId("cert-a.example", T);
        for (String bad : new String[] {null, "", "case-2026-mine", id + "0", id.substring(1), id.replace("case-", "CASE-"), id + "\n",
                id.substring(0, id.lastIndexOf('-')), "case-2026-0123456789-", "case-20260-123456789-" + id.substring(id.length() - 8)}) {
            assertFalse(CaseIds.boundTo(bad, "cert-a.example"), String.valueOf(bad));
        }
        assertFalse(CaseIds.boundTo(id, null));
    }

    @Test
    void opensAreNotifyRequestAndPing() {
        for (Kind k : Kind.values()) assertEquals(k == Kind.NOTIFY || k == Kind.REQUEST || k == Kind.PING, CaseIds.opens(k), k.wire());
    }
}
