-- Platform tables every module relies on: settings, browser sessions, the job queue (outbox)
-- and the in-app inbox. Timestamps are unix seconds. Keep migrations/postgres/0001 in step.

-- Node-wide settings and shared secrets (CSRF/session keys), first writer wins.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Browser sessions. id_hash is the hex SHA-256 of the cookie value, so a copy of this table
-- cannot be replayed as cookies.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Durable jobs. 'failed' is a failed attempt waiting for its retry at run_at; 'dead' has used
-- up max_attempts. A 'running' job whose locked_until has passed belongs to a crashed worker.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'done', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  run_at BIGINT NOT NULL,
  locked_by TEXT,
  locked_until BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  -- The worker (host:pid) that finished the job: who did the work, for operators.
  finished_by TEXT
);
-- The claim query: the oldest due job among those waiting.
CREATE INDEX jobs_claimable ON jobs (run_at, id) WHERE status IN ('queued', 'failed');
-- Lease reclaim: running jobs whose lease has expired.
CREATE INDEX jobs_running ON jobs (locked_until) WHERE status = 'running';

-- In-app notifications. recipient is an account or contact key ("account:42").
CREATE TABLE inbox_messages (
  id INTEGER PRIMARY KEY,
  recipient TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX inbox_messages_recipient ON inbox_messages (recipient, created_at);
