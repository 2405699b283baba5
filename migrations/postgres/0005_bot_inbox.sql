-- Files the bot has received and not yet finished handling (issue 11). Telegram counts an
-- update delivered once the next getUpdates asks past it, and teloxide asks as soon as it has
-- handed the update to a handler; a bot killed in between lost the file silently. Each update
-- carrying a document is written here before it is handed on, deleted when its handler ends,
-- and handed on again by the next bot to start or sweep (`taken_at` is when a bot last took it,
-- `takes` how often: an update whose handler never finishes is dropped after a few).
CREATE TABLE bot_inbox (
    update_id   BIGINT PRIMARY KEY,
    chat_id     BIGINT NOT NULL,
    message_id  BIGINT NOT NULL,
    body        TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    taken_at    BIGINT NOT NULL,
    takes       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX bot_inbox_by_message ON bot_inbox (chat_id, message_id);
