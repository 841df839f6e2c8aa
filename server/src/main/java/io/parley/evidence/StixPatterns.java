package io.parley.evidence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import io.parley.evidence.pattern.STIXPatternLexer;
import io.parley.evidence.pattern.STIXPatternParser.IndexPathStepContext;
import io.parley.evidence.pattern.STIXPatternParser.KeyPathStepContext;
import io.parley.evidence.pattern.STIXPatternParser.ObjectPathComponentContext;
import io.parley.evidence.pattern.STIXPatternParser.ObjectPathContext;
import io.parley.evidence.pattern.STIXPatternParser.ObservationExpressionContext;
import io.parley.evidence.pattern.STIXPatternParser.ObservationExpressionRepeatedContext;
import io.parley.evidence.pattern.STIXPatternParser.ObservationExpressionSimpleContext;
import io.parley.evidence.pattern.STIXPatternParser.ObservationExpressionStartStopContext;
import io.parley.evidence.pattern.STIXPatternParser.ObservationExpressionWithinContext;
import io.parley.evidence.pattern.STIXPatternParser.PathStepContext;
import io.parley.evidence.pattern.STIXPatternParser.PrimitiveLiteralContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestEqualContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestExistsContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestIsSubsetContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestIsSupersetContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestLikeContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestOrderContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestRegexContext;
import io.parley.evidence.pattern.STIXPatternParser.PropTestSetContext;
import io.parley.evidence.pattern.STIXPatternParser;

/**
 * STIX 2.1 patterns (§9), parsed with the official OASIS grammar ({@code src/main/antlr4/.../STIXPattern.g4}, the one
 * the OASIS pattern validator is built from), plus the validator's two checks beyond the grammar: no qualifier type
 * twice on one observation expression, and hash values that fit their algorithm.
 *
 * <p>Patterns come from other parties, so parsing is bounded before it starts: at most {@value #MAX_LENGTH}
 * characters and {@value #MAX_DEPTH} levels of brackets and parentheses (the parser recurses once per level). The
 * parser stops at the first error (bail strategy, no console listener), and the parse tree, whose depth grows with the
 * number of {@code AND}/{@code OR} operators, is walked with an explicit stack, never by recursion.
 *
 * <p>Correlation takes {@link #comparisons}: every {@code object-type:path operator value} test in order of appearance,
 * including those under qualifiers and {@code FOLLOWEDBY}; callers keep the exact ones ({@code =}, {@code IN}).
 */
final class StixPatterns {
    /** Longest pattern parsed; longer ones are refused unread. */
    static final int MAX_LENGTH = 16 * 1024;
    /** Deepest nesting of {@code [} and {@code (} parsed. */
    static final int MAX_DEPTH = 32;

    /** One {@code object-type:object-path operator value} comparison (§9.3); {@code operator} is prefixed "NOT " when negated. */
    record Comparison(String objectType, String path, String operator, List<String> values) {}

    /**
     * A pattern's comparisons, or the first reason it is not a STIX 2.1 pattern; and, for a pattern that is one, the
     * first object type or property name the OASIS STIX validator refuses in an indicator ({@link #badName}).
     */
    record Parsed(List<Comparison> comparisons, Optional<String> problem, Optional<String> badName) {}

    /** OASIS validator's hash formats (object_validator.py), keyed by the algorithm name upper-cased without hyphens. */
    private static final Map<String, Pattern> HASHES = Map.ofEntries(
            Map.entry("MD5", Pattern.compile("[a-fA-F0-9]{32}")),
            Map.entry("RIPEMD160", Pattern.compile("[a-fA-F0-9]{40}")),
            Map.entry("SHA1", Pattern.compile("[a-fA-F0-9]{40}")),
            Map.entry("SHA224", Pattern.compile("[a-fA-F0-9]{56}")),
            Map.entry("SHA256", Pattern.compile("[a-fA-F0-9]{64}")),
            Map.entry("SHA384", Pattern.compile("[a-fA-F0-9]{96}")),
            Map.entry("SHA512", Pattern.compile("[a-fA-F0-9]{128}")),
            Map.entry("SHA3224", Pattern.compile("[a-fA-F0-9]{56}")),
            Map.entry("SHA3256", Pattern.compile("[a-fA-F0-9]{64}")),
            Map.entry("SHA3384", Pattern.compile("[a-fA-F0-9]{96}")),
            Map.entry("SHA3512", Pattern.compile("[a-fA-F0-9]{128}")),
            Map.entry("SSDEEP", Pattern.compile("[a-zA-Z0-9/+:.]{1,128}")),
            Map.entry("WHIRLPOOL", Pattern.compile("[a-fA-F0-9]{128}")));

    /** The OASIS validator's names for pattern object types and properties (its TYPE_FORMAT_RE, PROPERTY_FORMAT_RE). */
    private static final Pattern TYPE_NAME = Pattern.compile("-?[a-z0-9]+(-[a-z0-9]+)*-?");
    private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z0-9_]{3,250}");

    private enum Qualifier { WITHIN, REPEATS, START_STOP }

    private StixPatterns() {}

    /** Why {@code pattern} is not a STIX 2.1 pattern (with the offset of the fault), or empty when it is one. */
    static Optional<String> problem(String pattern) {
        return parse(pattern).problem();
    }

    /** Every comparison in {@code pattern}, in order of appearance; none when it is not a valid pattern. */
    static List<Comparison> comparisons(String pattern) {
        return parse(pattern).comparisons();
    }

    /** Parses {@code pattern} within the length and depth caps. */
    static Parsed parse(String pattern) {
        if (pattern.isBlank()) return invalid("the pattern is empty");
        if (pattern.length() > MAX_LENGTH) {
            return invalid("the pattern is " + pattern.length() + " characters long; at most " + MAX_LENGTH + " are accepted");
        }
        Optional<String> tooDeep = tooDeep(pattern);
        if (tooDeep.isPresent()) return invalid(tooDeep.get());
        STIXPatternParser.PatternContext tree;
        try {
            tree = tree(pattern, PredictionMode.SLL);
        } catch (ParseCancellationException sll) {
            try {
                tree = tree(pattern, PredictionMode.LL); // SLL may fail where full LL succeeds; LL's verdict is final
            } catch (ParseCancellationException e) {
                return invalid(describe(e));
            }
        } catch (StackOverflowError e) {
            return invalid("the pattern is too complex to parse"); // not expected within the caps; never let it escape
        }
        return walk(tree);
    }

    private static Parsed invalid(String why) {
        return new Parsed(List.of(), Optional.of(why), Optional.empty());
    }

    /** Nesting of {@code [} and {@code (} outside string literals beyond {@link #MAX_DEPTH}, as a problem. */
    private static Optional<String> tooDeep(String p) {
        int depth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\'') {
                i = closingQuote(p, i);
                if (i < 0) return Optional.empty(); // the lexer reports the unterminated literal
            } else if (c == '[' || c == '(') {
                if (++depth > MAX_DEPTH) {
                    return Optional.of("brackets and parentheses nest deeper than " + MAX_DEPTH + " levels at offset " + i);
                }
            } else if ((c == ']' || c == ')') && depth > 0) {
                depth--;
            }
        }
        return Optional.empty();
    }

    private static STIXPatternParser.PatternContext tree(String pattern, PredictionMode mode) {
        STIXPatternLexer lexer = new STIXPatternLexer(CharStreams.fromString(pattern));
        lexer.removeErrorListeners();
        lexer.addErrorListener(LexerErrors.INSTANCE);
        STIXPatternParser parser = new STIXPatternParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        parser.getInterpreter().setPredictionMode(mode);
        return parser.pattern();
    }

    /** Lexer faults stop the parse like parser faults (the grammar's catch-all token makes them rare). */
    private static final class LexerErrors extends BaseErrorListener {
        static final LexerErrors INSTANCE = new LexerErrors();

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg, RecognitionException e) {
            throw new ParseCancellationException("at offset " + column + ": " + msg);
        }
    }

    private static String describe(ParseCancellationException e) {
        if (!(e.getCause() instanceof RecognitionException re)) return e.getMessage() != null ? e.getMessage() : "not a STIX pattern";
        Token t = re.getOffendingToken();
        String where = t == null ? "" : "at offset " + Math.max(0, t.getStartIndex()) + ": ";
        String what = t == null || t.getType() == Token.EOF ? "unexpected end of the pattern" : "unexpected " + shorten(t.getText());
        String expected = "";
        if (re instanceof InputMismatchException && re.getRecognizer() != null) {
            expected = " (expected " + re.getExpectedTokens().toString(re.getRecognizer().getVocabulary()) + ")";
        }
        return where + what + expected;
    }

    private static String shorten(String text) {
        return '"' + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + '"';
    }

    // --- the tree ---------------------------------------------------------------------------------------------------

    /** Pre-order walk with an explicit stack (the tree is as deep as the pattern has operators). */
    private static Parsed walk(ParseTree root) {
        List<Comparison> out = new ArrayList<>();
        Optional<String> badName = Optional.empty();
        Deque<ParseTree> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            ParseTree n = stack.pop();
            if (n instanceof ObservationExpressionWithinContext || n instanceof ObservationExpressionRepeatedContext
                    || n instanceof ObservationExpressionStartStopContext) {
                Optional<String> dup = duplicateQualifier((ObservationExpressionContext) n);
                if (dup.isPresent()) return invalid(dup.get());
            }
            if (n instanceof PropTestContext test && !(n instanceof STIXPatternParser.PropTestParenContext)) {
                Comparison c = comparison(test);
                Optional<String> badHash = badHash(c, test);
                if (badHash.isPresent()) return invalid(badHash.get());
                if (badName.isEmpty()) badName = badName(c, test);
                out.add(c);
                continue;
            }
            for (int i = n.getChildCount() - 1; i >= 0; i--) stack.push(n.getChild(i));
        }
        return new Parsed(List.copyOf(out), Optional.empty(), badName);
    }

    /**
     * OASIS validator rule: a qualifier type applied twice to one simple observation expression (e.g.
     * {@code [a:b = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS}) is an error; on a parenthesised group it is not checked.
     */
    private static Optional<String> duplicateQualifier(ObservationExpressionContext top) {
        Set<Qualifier> seen = EnumSet.noneOf(Qualifier.class);
        ObservationExpressionContext n = top;
        boolean duplicate = false;
        while (true) {
            Qualifier q;
            ObservationExpressionContext inner;
            if (n instanceof ObservationExpressionWithinContext w) {
                q = Qualifier.WITHIN;
                inner = w.observationExpression();
            } else if (n instanceof ObservationExpressionRepeatedContext r) {
                q = Qualifier.REPEATS;
                inner = r.observationExpression();
            } else if (n instanceof ObservationExpressionStartStopContext s) {
                q = Qualifier.START_STOP;
                inner = s.observationExpression();
            } else {
                break;
            }
            duplicate |= !seen.add(q);
            n = inner;
        }
        if (duplicate && n instanceof ObservationExpressionSimpleContext) {
            return Optional.of("at offset " + top.getStart().getStartIndex() + ": a qualifier type is applied twice to one observation expression");
        }
        return Optional.empty();
    }

    private static Comparison comparison(PropTestContext test) {
        return switch (test) {
            case PropTestEqualContext t -> new Comparison(type(t.objectPath()), path(t.objectPath()), not(t.NOT()) + (t.EQ() != null ? "=" : "!="),
                    List.of(value(t.primitiveLiteral())));
            case PropTestOrderContext t -> new Comparison(type(t.objectPath()), path(t.objectPath()),
                    not(t.NOT()) + (t.GT() != null ? ">" : t.LT() != null ? "<" : t.GE() != null ? ">=" : "<="),
                    List.of(value((TerminalNode) t.orderableLiteral().getChild(0))));
            case PropTestSetContext t -> {
                List<String> values = new ArrayList<>();
                for (PrimitiveLiteralContext v : t.setLiteral().primitiveLiteral()) values.add(value(v));
                yield new Comparison(type(t.objectPath()), path(t.objectPath()), not(t.NOT()) + "IN", List.copyOf(values));
            }
            case PropTestLikeContext t -> new Comparison(type(t.objectPath()), path(t.objectPath()), not(t.NOT()) + "LIKE", List.of(value(t.StringLiteral())));
            case PropTestRegexContext t -> new Comparison(type(t.objectPath()), path(t.objectPath()), not(t.NOT()) + "MATCHES", List.of(value(t.StringLiteral())));
            case PropTestIsSubsetContext t -> new Comparison(type(t.objectPath()), path(t.objectPath()), not(t.NOT()) + "ISSUBSET", List.of(value(t.StringLiteral())));
            case PropTestIsSupersetContext t -> new Comparison(type(t.objectPath()), path(t.objectPath()), not(t.NOT()) + "ISSUPERSET", List.of(value(t.StringLiteral())));
            case PropTestExistsContext t -> new Comparison(type(t.objectPath()), path(t.objectPath()), not(t.NOT()) + "EXISTS", List.of());
            default -> throw new IllegalStateException("unexpected comparison " + test.getClass().getSimpleName());
        };
    }

    private static ObjectPathContext objectPath(PropTestContext test) {
        return switch (test) {
            case PropTestEqualContext t -> t.objectPath();
            case PropTestOrderContext t -> t.objectPath();
            case PropTestSetContext t -> t.objectPath();
            case PropTestLikeContext t -> t.objectPath();
            case PropTestRegexContext t -> t.objectPath();
            case PropTestIsSubsetContext t -> t.objectPath();
            case PropTestIsSupersetContext t -> t.objectPath();
            case PropTestExistsContext t -> t.objectPath();
            default -> throw new IllegalStateException("unexpected comparison " + test.getClass().getSimpleName());
        };
    }

    private static String not(TerminalNode not) {
        return not == null ? "" : "NOT ";
    }

    private static String type(ObjectPathContext p) {
        return p.objectType().getStart().getText();
    }

    /** The object path after the colon: keys joined by dots (quotes dropped), list indexes as {@code [n]} or {@code [*]}. */
    private static String path(ObjectPathContext p) {
        TerminalNode first = (TerminalNode) p.firstPathComponent().getChild(0);
        StringBuilder sb = new StringBuilder(key(first));
        ObjectPathComponentContext rest = p.objectPathComponent();
        if (rest == null) return sb.toString();
        Deque<ObjectPathComponentContext> stack = new ArrayDeque<>();
        stack.push(rest);
        while (!stack.isEmpty()) {
            ObjectPathComponentContext c = stack.pop();
            switch (c) {
                case PathStepContext s -> {
                    stack.push(s.objectPathComponent(1));
                    stack.push(s.objectPathComponent(0));
                }
                case KeyPathStepContext k -> sb.append('.').append(key(k.IdentifierWithoutHyphen() != null ? k.IdentifierWithoutHyphen() : k.StringLiteral()));
                case IndexPathStepContext i -> sb.append('[').append(i.getChild(1).getText()).append(']');
                default -> throw new IllegalStateException("unexpected path step " + c.getClass().getSimpleName());
            }
        }
        return sb.toString();
    }

    private static String key(TerminalNode n) {
        return n.getSymbol().getType() == STIXPatternLexer.StringLiteral ? stringValue(n.getText()) : n.getText();
    }

    private static String value(PrimitiveLiteralContext v) {
        return v.BoolLiteral() != null ? v.BoolLiteral().getText() : value((TerminalNode) v.orderableLiteral().getChild(0));
    }

    /** A literal's value: a string's text unescaped, a number without a leading '+', anything else as written. */
    private static String value(TerminalNode literal) {
        String text = literal.getText();
        return switch (literal.getSymbol().getType()) {
            case STIXPatternLexer.StringLiteral -> stringValue(text);
            case STIXPatternLexer.IntPosLiteral, STIXPatternLexer.FloatPosLiteral -> text.startsWith("+") ? text.substring(1) : text;
            default -> text;
        };
    }

    private static String stringValue(String quoted) {
        return unescape(quoted.substring(1, quoted.length() - 1));
    }

    /**
     * OASIS STIX validator rule (its {@code patterns} check, beyond the pattern validator): the object type is a well-formed type name of 3 to 250
     * characters and the path's first property is a well-formed property name (3 to 250 of {@code a-z 0-9 _}); the
     * one standard property shorter than that, {@code id}, is allowed on the standard SCO types.
     */
    private static Optional<String> badName(Comparison c, PropTestContext test) {
        String type = c.objectType();
        if (!TYPE_NAME.matcher(type).matches() || type.length() < 3 || type.length() > 250) {
            return Optional.of("at offset " + test.getStart().getStartIndex() + ": '" + type + "' is not a valid observable type name");
        }
        String first = key((TerminalNode) objectPath(test).firstPathComponent().getChild(0));
        if (PROPERTY_NAME.matcher(first).matches() || (first.equals("id") && StixSchemas.SCOS.contains(type))) {
            return Optional.empty();
        }
        return Optional.of("at offset " + test.getStart().getStartIndex() + ": '" + first + "' is not a valid observable property name");
    }

    /** OASIS validator rule: a string compared with {@code hashes.<algorithm>} must be a hash of that algorithm. */
    private static Optional<String> badHash(Comparison c, PropTestContext test) {
        int dot = c.path().lastIndexOf('.');
        if (!(c.path().startsWith("hashes.") || c.path().contains(".hashes.")) || dot < 0 || c.values().size() != 1) return Optional.empty();
        if (test instanceof PropTestSetContext || test instanceof PropTestExistsContext) return Optional.empty();
        String algorithm = c.path().substring(dot + 1);
        Pattern format = HASHES.get(algorithm.toUpperCase(Locale.ROOT).replace("-", ""));
        if (format == null || format.matcher(c.values().get(0)).matches()) return Optional.empty();
        return Optional.of("at offset " + test.getStart().getStartIndex() + ": '" + c.values().get(0) + "' is not a valid " + algorithm + " hash");
    }

    /** Index of the quote that closes the literal opened at {@code open}, honouring backslash escapes; or -1. */
    private static int closingQuote(String s, int open) {
        for (int j = open + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '\'') {
                return j;
            }
        }
        return -1;
    }

    /** §9.4: inside a string literal only {@code \'} and {@code \\} are escapes. */
    static String unescape(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                sb.append(body.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A string literal for {@code value}: quotes and backslashes escaped (§9.4). */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
