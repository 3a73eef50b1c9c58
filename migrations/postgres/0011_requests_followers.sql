-- The resident's side of 311 (issue 4, items 5 and 7): residents who follow a request hear of
-- it as the reporter does, and every message to the reporter is written in the language they
-- used at intake. Keep migrations/sqlite/0011 in step.

-- A signed-in resident following a request ("ya lo reportaron: síguelo"). One row per pair.
CREATE TABLE service_request_followers (
  request_id BIGINT NOT NULL REFERENCES service_requests (id),
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (request_id, account_id)
);
-- "My requests": the requests an account follows.
CREATE INDEX service_request_followers_account ON service_request_followers (account_id, request_id);

-- The reporter's language for notifications (the catalog's two locales).
ALTER TABLE service_requests ADD COLUMN locale TEXT NOT NULL DEFAULT 'es-MX'
  CHECK (locale IN ('es-MX', 'en'));

-- "My requests": the requests an account filed (account_id is text in 0010: Open311 sends it).
CREATE INDEX service_requests_account ON service_requests (account_id, requested_at);
