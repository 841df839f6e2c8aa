package io.parley.api;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.parley.auth.Tokens;
import io.parley.cases.CaseException;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Tlp;
import io.parley.evidence.MispImport;
import io.parley.export.CaseBundle;
import io.parley.federation.PeerDirectory;
import io.parley.identity.SigningKey;
import io.parley.json.JcsException;
import io.parley.json.Json;
import io.parley.json.MalformedJsonException;
import io.parley.log.FormatException;
import io.parley.log.NoteException;
import io.parley.log.ProofException;
import io.parley.node.ChannelActions;
import io.parley.node.Fault;
import io.parley.node.OutgoingCheck;
import io.parley.store.StoreException;
import io.parley.taxii.EvidenceException;
import io.parley.testing.Fixtures;

/** The one table of which exception means which answer, that the API, TAXII and the web UI share. */
class ProblemMapperTest {
    private static final String TYPES = "https://parley.example/problems/";

    @Test
    void eachDomainRefusalHasItsStatusAndType() throws Exception {
        var envelope = Fixtures.envelope(SigningKey.generate("cert-b.example"), "ch-1", 1, null, Tlp.RED, "red");
        assertMaps(new CaseException(409, "ambiguous-case", "case id 'c1' names cases in channels a, b"), 409, "ambiguous-case");
        assertMaps(new CaseException(403, "not-opener", "only the opener can close it"), 403, "not-opener");
        assertMaps(new EvidenceException(413, "too-large", "the bundle is too large"), 413, "too-large");
        assertMaps(new ChannelActions.Refused(409, "channel-exists", "channel ch-1 exists"), 409, "channel-exists");
        assertMaps(new OutgoingCheck.Refused("evidence-refused", "not sent", List.of()), 422, "evidence-refused");
        assertMaps(new EnvelopeFormatException("/body/type", "a request's type must be one of ..."), 422, "invalid-field");
        assertMaps(EnvelopeFormatException.inCharter("/level", "level must be technical, operational or political"), 422, "invalid-charter");
        assertMaps(new JcsException("a lone surrogate"), 422, "not-canonical-json");
        assertMaps(new RequestBodies.TooLarge(10), 413, "too-large");
        assertMaps(new CaseBundle.MissingNotice(envelope, envelope.hash()), 409, "notice-missing");
        assertMaps(thrown(() -> MispImport.convert(Json.object().put("Event", 1))), 422, "invalid-misp");
        assertMaps(thrown(() -> Tokens.lifetimeInDays(0)), 400, "bad-token-request");
        assertMaps(hidden(Tokens.LimitReached.class, "account 'duty' has 20 working tokens already"), 409, "too-many-tokens");
        assertMaps(new PeerDirectory.PeerRefused(404, "cert-z.example is not a known peer"), 404, "peer-refused");
        assertMaps(unreachable(new IOException("cannot connect to http://127.0.0.1:1")), 422, "peer-unreachable");
        assertMaps(new FormatException("malformed checkpoint"), 400, "malformed");
        assertMaps(new ProofException(ProofException.Reason.ROOT_MISMATCH, "root mismatch"), 422, "not-verified");
        assertMaps(new NoteException(NoteException.Reason.INVALID_SIGNATURE, "bad signature"), 422, "not-verified");
        assertMaps(new InterruptedException(), 503, "interrupted");
        assertMaps(ProblemException.notFound("no case 'c9'"), 404, "not-found");
        assertMaps(new org.eclipse.jetty.http.BadMessageException(408, "Request content data rate < 1024 B/s"), 408, "http-408");
    }

    @Test
    void fieldFaultsKeepTheirPointers() {
        Problem charter = ProblemMapper.of(EnvelopeFormatException.inCharter("/level", "level must be technical"));
        assertEquals(List.of(new Problem.FieldError("/level", "level must be technical")), charter.errors());
        Problem evidence = ProblemMapper.of(new EvidenceException(422, "invalid-stix", "the bundle is not valid STIX",
                List.of(new Fault("/objects/0/type", "unknown type"))));
        assertEquals(List.of(new Problem.FieldError("/objects/0/type", "unknown type")), evidence.errors());
        Problem refused = ProblemMapper.of(new OutgoingCheck.Refused("evidence-refused", "not sent",
                List.of(new Fault("/body/evidence/0", "no such evidence"))));
        assertEquals(List.of(new Problem.FieldError("/body/evidence/0", "no such evidence")), refused.errors());
    }

    @Test
    void anExceptionNobodyNamedIsA500ThatTellsNothing() {
        for (Exception e : List.of(new RuntimeException("secret: table parley_users at /srv/parley/node.db"),
                new StoreException("secret: connection to db.internal:5432 refused", new SQLException("secret")),
                new IllegalStateException("secret: sequencer stopped"), new NullPointerException("secret"),
                new IOException("secret: disk full"), new org.eclipse.jetty.http.BadMessageException(500, "secret"))) {
            assertTrue(ProblemMapper.known(e).isEmpty(), e.toString());
            Problem p = ProblemMapper.of(e);
            assertEquals(500, p.status());
            assertEquals(TYPES + "internal", p.type());
            assertFalse(Json.write(p.toJson("/x")).contains("secret"), p.toString());
        }
    }

    @Test
    void anIllegalArgumentExceptionIsABugNotABadRequest() {
        // the broad type, and the JDK's own subtypes, say nothing about who was at fault: only named input faults do
        for (Exception e : List.of(new IllegalArgumentException("secret: bad index"), new NumberFormatException("secret"),
                new java.util.IllegalFormatConversionException('d', String.class))) {
            assertEquals(500, ProblemMapper.of(e).status(), e.toString());
        }
        // a request body that is not JSON is answered where the body is read (400 malformed-json), not here: the
        // same exception from parsing stored data would be the server's fault
        assertEquals(500, ProblemMapper.of(new MalformedJsonException("not valid JSON")).status());
    }

    private static void assertMaps(Throwable e, int status, String code) {
        Problem p = ProblemMapper.known(e).orElseThrow(() -> new AssertionError("not mapped: " + e));
        assertEquals(status, p.status(), e.toString());
        assertEquals(TYPES + code, p.type(), e.toString());
        assertFalse(p.title().isBlank());
        assertNotNull(p.detail());
    }

    private static Throwable thrown(Runnable r) {
        return assertThrows(RuntimeException.class, r::run);
    }

    /** An exception whose constructor is kept to its package, where only a full node could provoke it. */
    private static Throwable hidden(Class<? extends Throwable> type, String message) throws Exception {
        Constructor<? extends Throwable> c = type.getDeclaredConstructor(String.class);
        c.setAccessible(true);
        return c.newInstance(message);
    }

    private static Throwable unreachable(IOException cause) throws Exception {
        Method m = PeerDirectory.PeerRefused.class.getDeclaredMethod("unreachable", IOException.class);
        m.setAccessible(true);
        return (Throwable) m.invoke(null, cause);
    }
}
