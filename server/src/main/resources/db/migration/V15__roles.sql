-- Roles viewer / officer / admin, per-channel grants for officers, and disabled accounts (issue 11).
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- The channels an officer handles; '*' is every channel, present and future.
CREATE TABLE user_channels (
    username TEXT NOT NULL,
    channel  TEXT NOT NULL,
    PRIMARY KEY (username, channel)
);

-- Accounts from before roles keep the reach they had: an existing officer handled every channel.
INSERT INTO user_channels (username, channel) SELECT username, '*' FROM users WHERE role = 'officer';
