-- Followers hear of a request by e-mail and SMS too (issue 4, items 5 and 7), in their own
-- language, and can stop following from the message without signing in. Keep
-- migrations/postgres/0016 in step.

-- The follower's language when they followed (NULL: rows from before, or merged in: the
-- report's language is used).
ALTER TABLE service_request_followers ADD COLUMN locale TEXT
  CHECK (locale IS NULL OR locale IN ('es-MX', 'en'));
-- The secret in the "stop following" link of the follower's messages (random, 192 bits,
-- created with the first message; using it deletes the row, so it works once). It can only
-- end the follow, so it is kept as is: each message carries the same link.
ALTER TABLE service_request_followers ADD COLUMN stop_token TEXT;
CREATE UNIQUE INDEX service_request_followers_stop_token ON service_request_followers (stop_token);
