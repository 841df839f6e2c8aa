/**
 * The duty officer's web UI at {@code /} on every node: server-rendered HTML from jte templates
 * ({@code src/main/jte}, compiled at build time, escaped by default), one small stylesheet and no script. It reads the
 * same services as the API (cases, channels, federation, log) and acts through them; HTTP Basic over local accounts,
 * CSRF tokens on every form.
 */
package io.parley.web;
