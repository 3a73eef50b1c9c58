-- Residents' feedback on the portal ("¿Qué mejorarías?"). No personal data is asked for: the
-- message, the page it was sent from and the language. Keep migrations/postgres/0003 in step.
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  message TEXT NOT NULL,
  page TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX feedback_created_at ON feedback (created_at);
