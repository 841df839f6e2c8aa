package io.parley.web;

import java.util.List;

import io.parley.web.WebModel.Layout;

/** What the admin hub ({@code /admin}) shows: accounts, every account's API tokens, and the newest audit records. */
public final class AdminView {
    private AdminView() {}

    public record Page(Layout layout, List<Account> accounts, List<Token> tokens, List<AuditLine> audit, boolean auditVerifies, String auditFault,
                       long auditRecords) {}

    /** An account with its role and grants in the reader's words, and how many live tokens it holds. */
    public record Account(String username, String role, String channels, boolean disabled, long liveTokens) {}

    /** A token as listed: never its secret. state: active, revoked or expired (the class); stateLabel: its word. */
    public record Token(String id, String owner, String label, String scope, String channels, String created, String expires, String state,
                        String stateLabel, String lastUsed, String revokedBy) {
        public boolean active() {
            return state.equals("active");
        }

        public String revokeAction() {
            return "/admin/tokens/" + Fmt.path(id) + "/revoke";
        }
    }

    public record AuditLine(long seq, String at, String actor, String action, String target, boolean ok) {}
}
