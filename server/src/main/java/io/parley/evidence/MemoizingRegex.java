package io.parley.evidence;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The schema library's regular expressions, with the verdicts for short inputs remembered.
 *
 * <p>Why: the STIX schemas test every property <em>name</em> of every object against the custom-property patterns
 * of {@code properties.json} (twice: {@code patternProperties}, then {@code additionalProperties}), and every id and
 * timestamp against {@code identifier.json}/{@code timestamp.json}. Property names come from a small vocabulary, so
 * remembering "does {@code created_by_ref} match {@code ^[a-z][a-z0-9_]{0,245}_hex$}" removes most of the regex work,
 * which profiling showed to be half of validation time.
 *
 * <p>Semantics are the library's own ({@link java.util.regex.Matcher#find()}, JDK syntax). The memory is bounded: only
 * inputs up to {@value #MAX_KEY} characters are remembered, at most {@value #MAX_ENTRIES} per pattern, after which
 * new inputs are simply evaluated, so hostile input cannot grow it without limit.
 */
final class MemoizingRegex implements RegularExpressionFactory {
    static final int MAX_KEY = 64;
    static final int MAX_ENTRIES = 1024;

    private final Map<String, RegularExpression> compiled = new ConcurrentHashMap<>();

    @Override
    public RegularExpression getRegularExpression(String regex) {
        return compiled.computeIfAbsent(regex, Memo::new);
    }

    private static final class Memo implements RegularExpression {
        private final Pattern pattern;
        private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();

        Memo(String regex) {
            this.pattern = Pattern.compile(regex);
        }

        @Override
        public boolean matches(String value) {
            if (value.length() > MAX_KEY) {
                return pattern.matcher(value).find();
            }
            Boolean known = verdicts.get(value);
            if (known != null) {
                return known;
            }
            boolean v = pattern.matcher(value).find();
            if (verdicts.size() < MAX_ENTRIES) {
                verdicts.put(value, v);
            }
            return v;
        }
    }
}
