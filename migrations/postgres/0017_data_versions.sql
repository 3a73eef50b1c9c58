-- A version number for data that answers are cached from (ADR 0008); see
-- migrations/sqlite/0017. Keep both in step.
--
-- PostgreSQL runs many writers at once, so a name's count is spread over 64 shard rows (the
-- writing backend's pid picks one) and readers take sum(version). The bump is a deferred
-- constraint trigger: it runs at COMMIT, after every other statement of the transaction, so
-- the shard row is the last lock a writer takes (no deadlock with row locks such as the
-- SELECT ... FOR UPDATE of a status change) and is held only through the commit itself. It
-- counts once per transaction (a transaction-local setting remembers it), and, being in the
-- transaction, becomes visible exactly when the data does.
CREATE TABLE data_versions (
  name TEXT NOT NULL,
  shard INTEGER NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (name, shard)
);
INSERT INTO data_versions (name, shard, version)
SELECT 'open311_requests', s, 0 FROM generate_series(0, 63) AS s;

CREATE FUNCTION bump_open311_requests_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('zocalo.open311_requests_bumped', true) = 'yes' THEN
    RETURN NULL;
  END IF;
  PERFORM set_config('zocalo.open311_requests_bumped', 'yes', true);
  UPDATE data_versions SET version = version + 1
  WHERE name = 'open311_requests' AND shard = pg_backend_pid() % 64;
  RETURN NULL;
END
$$;

-- Open311 GET requests lists (requests/routes/open311_list_cache.hpp) are made of
-- service_requests, their public updates, and the names of services and agencies.
CREATE CONSTRAINT TRIGGER service_requests_version AFTER INSERT OR UPDATE OR DELETE
  ON service_requests DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION bump_open311_requests_version();
CREATE CONSTRAINT TRIGGER service_request_updates_version AFTER INSERT OR UPDATE OR DELETE
  ON service_request_updates DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION bump_open311_requests_version();
CREATE CONSTRAINT TRIGGER services_version AFTER INSERT OR UPDATE OR DELETE
  ON services DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION bump_open311_requests_version();
CREATE CONSTRAINT TRIGGER agencies_version AFTER INSERT OR UPDATE OR DELETE
  ON agencies DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION bump_open311_requests_version();
