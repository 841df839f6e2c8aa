package io.parley.api;

import java.util.List;
import java.util.Optional;

import org.eclipse.jetty.http.BadMessageException;

import io.javalin.http.HttpResponseException;
import io.parley.auth.Tokens;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.evidence.MispImport;
import io.parley.export.CaseBundle;
import io.parley.federation.PeerDirectory;
import io.parley.json.JcsException;
import io.parley.log.FormatException;
import io.parley.log.VerificationException;
import io.parley.node.Fault;
import io.parley.node.OutgoingCheck;
import io.parley.node.Refusal;
import io.parley.taxii.EvidenceException;

/**
 * Which exception means which answer: the one place where a refusal by the domain becomes an HTTP status and an
 * RFC 9457 problem type. Every edge asks here and only words the answer in its own form: the API writes the problem
 * as problem+json ({@link HttpServer}), TAXII as a TAXII error message, the web UI as an HTML page.
 *
 * <p>Only exceptions named here are the caller's fault. Anything else (a {@link io.parley.store.StoreException}, an
 * {@link IllegalArgumentException} from a bug, a driver error) is {@link #INTERNAL}: a 500 that shows nothing of the
 * exception, whose message may name tables, files or peers; the edge that caught it logs it. That is why this class
 * never matches a broad type such as {@code IllegalArgumentException}: input faults have exceptions of their own.
 */
public final class ProblemMapper {
    private ProblemMapper() {}

    /** The answer to anything this class does not know. */
    public static final Problem INTERNAL = Problem.of(500, "internal", "Internal error",
            "the server failed to handle this request; it has been logged");

    /** The problem {@code e} stands for, or {@link #INTERNAL} for an exception that is nobody's fault but ours. */
    public static Problem of(Throwable e) {
        return known(e).orElse(INTERNAL);
    }

    /** The problem {@code e} stands for, if it is a refusal this server answers; empty for a bug or a failure. */
    public static Optional<Problem> known(Throwable e) {
        return Optional.ofNullable(switch (e) {
            case ProblemException p -> p.problem();
            case HttpResponseException h -> fromHttp(h);
            // the HTTP server refusing the request itself (a body trickling in below the minimum rate, a bad message)
            case BadMessageException b when b.getCode() >= 400 && b.getCode() < 500 ->
                    Problem.of(b.getCode(), "http-" + b.getCode(), Problem.title(b.getCode()), b.getReason() == null ? b.getMessage() : b.getReason());
            case RequestBodies.TooLarge t -> Problem.of(413, "too-large", "Content too large", t.getMessage());
            // Input that has no canonical form reaches JCS only when a route signs or hashes it: the client's fault.
            case JcsException j -> Problem.of(422, "not-canonical-json", "Unprocessable content",
                    "the JSON has no RFC 8785 canonical form, so it cannot be signed or hashed: " + j.getMessage());
            case EnvelopeFormatException f -> switch (f.document()) {
                case CHARTER -> Problem.field(422, "invalid-charter", "Invalid charter", f.field(), f.getMessage());
                case ENVELOPE -> Problem.field(422, "invalid-field", "Invalid fields", f.field(), f.getMessage());
            };
            case Refusal r when r.field() != null -> Problem.field(r.status(), r.code(), Problem.title(r.status()), r.field(), r.getMessage());
            case Refusal r -> Problem.of(r.status(), r.code(), Problem.title(r.status()), r.getMessage());
            case CaseBundle.MissingNotice m -> Problem.of(409, "notice-missing", "Conflict", m.getMessage());
            case OutgoingCheck.Refused r -> withErrors(Problem.of(422, r.code(), "Refused before signing", r.getMessage()), r.faults());
            case EvidenceException v -> withErrors(Problem.of(v.status(), v.code(), v.status() == 422 ? "Invalid evidence" : Problem.title(v.status()),
                    v.getMessage()), v.faults());
            case MispImport.NotAnEvent n -> Problem.of(422, "invalid-misp", "Invalid MISP event", n.getMessage());
            case Tokens.Invalid i -> Problem.field(400, "bad-token-request", "Bad request", i.field(), i.getMessage());
            case Tokens.LimitReached l -> Problem.of(409, "too-many-tokens", "Conflict", l.getMessage());
            case PeerDirectory.PeerRefused r -> Problem.of(r.status(), r.code(), r.code().equals("peer-unreachable") ? "Peer unreachable" : "Peer refused", r.getMessage());
            // C2SP texts and proofs a caller sent: malformed is 400, well formed but not verifying is 422
            case FormatException f -> Problem.of(400, "malformed", "Malformed", f.getMessage());
            case VerificationException v -> Problem.of(422, "not-verified", "Not verified", v.getMessage());
            case InterruptedException i -> Problem.of(503, "interrupted", "Interrupted", "the server is shutting down");
            default -> null;
        });
    }

    private static Problem withErrors(Problem p, List<Fault> faults) {
        return new Problem(p.type(), p.title(), p.status(), p.detail(), faults.stream().map(f -> new Problem.FieldError(f.pointer(), f.detail())).toList());
    }

    private static Problem fromHttp(HttpResponseException e) {
        int status = e.getStatus();
        return switch (status) {
            case 413 -> Problem.of(413, "too-large", "Content too large", "the request body exceeds " + HttpServer.MAX_REQUEST_BYTES + " bytes");
            case 404 -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", e.getMessage());
            default -> Problem.of(status, "http-" + status, e.getMessage(), e.getMessage());
        };
    }
}
