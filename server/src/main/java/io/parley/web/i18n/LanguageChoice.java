package io.parley.web.i18n;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.javalin.http.Context;
import io.parley.store.UserStore;

/**
 * Which of the six languages a page is shown in, in this order: {@code ?lang=} on the request (which also sets the
 * {@value #COOKIE} cookie and, when signed in, the account's language), the account's chosen language, the cookie (the
 * sign-in pages, before anyone is known), the browser's {@code Accept-Language}, English.
 *
 * <p>Why a GET may save the choice: the session cookie is {@code SameSite=Strict}, so a request that carries it came from
 * this node's own pages or an address the officer typed; a link on another site arrives without a session and changes
 * at most the language of the sign-in page it is sent to.
 */
public final class LanguageChoice {
    public static final String PARAM = "lang";
    public static final String COOKIE = "parley_lang";

    private LanguageChoice() {}

    /** The language of this request for {@code user} (null: not signed in), saving a {@code ?lang=} choice. */
    public static Lang resolve(Context ctx, UserStore users, String user) {
        Optional<Lang> asked = Lang.of(ctx.queryParam(PARAM));
        if (asked.isPresent()) {
            remember(ctx, asked.get());
            if (user != null) users.setLanguage(user, asked.get().code());
            return asked.get();
        }
        if (user != null) {
            Optional<Lang> chosen = users.language(user).flatMap(Lang::of);
            if (chosen.isPresent()) return chosen.get();
        }
        return Lang.of(ctx.cookie(COOKIE)).or(() -> Lang.fromAcceptLanguage(ctx.header("Accept-Language"))).orElse(Lang.DEFAULT);
    }

    /** Sets the language cookie: not secret, readable by no script, a year long. */
    public static void remember(Context ctx, Lang lang) {
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + lang.code() + "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax");
    }

    /** A link to the current page in each language: its path and query with {@code lang} replaced. */
    public static List<Link> links(Context ctx, Lang current) {
        return links(ctx.path(), ctx.queryString(), current);
    }

    /** A link to {@code path} with {@code query} (null: none) in each language, {@code lang} replaced. */
    public static List<Link> links(String path, String query, Lang current) {
        List<String> kept = new ArrayList<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty() || pair.equals(PARAM) || pair.startsWith(PARAM + "=") || pair.startsWith("done=") || pair.startsWith("refresh=")) continue;
                kept.add(pair);
            }
        }
        String base = path + "?" + (kept.isEmpty() ? "" : String.join("&", kept) + "&") + PARAM + "=";
        List<Link> out = new ArrayList<>();
        for (Lang l : Lang.values()) out.add(new Link(l.code(), l.nativeName(), base + l.code(), l == current));
        return out;
    }

    /** One entry of the language switch. */
    public record Link(String code, String name, String href, boolean current) {}
}
