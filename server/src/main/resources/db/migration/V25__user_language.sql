-- Issue 14: each account's language for the desk and its notifications (one of en, ru, fr, es, zh, ar; NULL: not
-- chosen, the browser's Accept-Language decides).
ALTER TABLE users ADD COLUMN lang TEXT;
