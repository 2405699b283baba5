-- The Telegram bot: what each report's delivery sent, and the operator's text overrides.

-- One row per report the Telegram sink started to deliver. A repeat of the delivery (a worker
-- killed mid-way) skips what is recorded and warns when the first attempt's fate is unknown.
CREATE TABLE telegram_deliveries (
    report_id           BIGINT PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    chat_id             BIGINT NOT NULL,
    attempts            INTEGER NOT NULL,
    started_at          BIGINT NOT NULL,
    summary_message_id  BIGINT,
    document_message_id BIGINT
);

-- Texts the operator changed without a release; laid over the embedded lexicon.
CREATE TABLE lexicon_overrides (
    lang       TEXT NOT NULL,
    key        TEXT NOT NULL,
    text       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (lang, key)
);
