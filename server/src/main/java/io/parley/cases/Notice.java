package io.parley.cases;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.parley.web.i18n.Texts;

/**
 * What a notification says, written for each recipient in its own language: a subject and a body from the
 * {@code notify} bundle ({@code notify.<key>.subject}, {@code notify.<key>.body}) with the same arguments. Structured
 * values are translated ({@link Term}: a deadline, a kind, a priority) or written in the reader's way (times and
 * durations); free text (a rung's role, a channel's or party's name, a case id) is an argument as written. A notice
 * made from a plain subject ({@link #literal}) reads the same in every language.
 */
public record Notice(String key, List<Object> args, String literal) {

    /** A structured value, written as the bundle's {@code key} says it in the reader's language. */
    public record Term(String key) {}

    public Notice {
        args = List.copyOf(args);
    }

    /** A notice from the bundle: {@code notify.<key>.subject} and {@code notify.<key>.body} with {@code args}. */
    public static Notice of(String key, Object... args) {
        return new Notice(key, List.of(args), null);
    }

    /** A subject written by the caller, the same in every language, with no body of its own. */
    public static Notice literal(String subject) {
        return new Notice(null, List.of(), subject);
    }

    public String subject(Texts t) {
        return literal != null ? literal : t.t("notify." + key + ".subject", in(t));
    }

    /** The body's text, or empty when the notice has none but its subject. */
    public String body(Texts t) {
        return literal != null ? "" : t.t("notify." + key + ".body", in(t));
    }

    private Object[] in(Texts t) {
        return args.stream().map(a -> switch (a) {
            case Term term -> t.t(term.key());
            case Instant i -> t.seconds(i);
            case Duration d -> t.duration(d);
            default -> a;
        }).toArray();
    }
}
