-- A failed analysis owes its contributor a notice (issue 11). `notice_due_at` is when the next
-- try to tell them is due: set when the analysis fails, one lease ahead so the worker that
-- failed it tells first; pushed ahead by whoever claims the telling; NULL once told (or when
-- nothing is owed). A worker killed before telling, or a Telegram that could not be reached,
-- leaves it set, and any worker's sweep tells the contributor later.
ALTER TABLE analyses ADD COLUMN notice_due_at BIGINT;
CREATE INDEX analyses_notice_due ON analyses (notice_due_at) WHERE notice_due_at IS NOT NULL;
