-- A version number for data that answers are cached from (ADR 0008). A cached answer is served
-- only while the version it was rendered at is still the current one, so every write that can
-- change the answer must move the version: triggers do it, in the writing transaction, so no
-- code path can forget and the new version becomes visible exactly when the data does, in this
-- process and in any other that opens the file. SQLite has one writer at a time, so one row per
-- name is enough; PostgreSQL spreads the counting over shards (migrations/postgres/0017).
-- Readers take sum(version) over a name's rows. Keep migrations/postgres/0017 in step.
CREATE TABLE data_versions (
  name TEXT NOT NULL,
  shard INTEGER NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (name, shard)
);
INSERT INTO data_versions (name, shard, version) VALUES ('open311_requests', 0, 0);

-- Open311 GET requests lists (requests/routes/open311_list_cache.hpp) are made of
-- service_requests, their public updates, and the names of services and agencies.
CREATE TRIGGER service_requests_version_insert AFTER INSERT ON service_requests
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER service_requests_version_update AFTER UPDATE ON service_requests
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER service_requests_version_delete AFTER DELETE ON service_requests
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER service_request_updates_version_insert AFTER INSERT ON service_request_updates
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER service_request_updates_version_update AFTER UPDATE ON service_request_updates
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER service_request_updates_version_delete AFTER DELETE ON service_request_updates
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER services_version_insert AFTER INSERT ON services
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER services_version_update AFTER UPDATE ON services
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER services_version_delete AFTER DELETE ON services
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER agencies_version_insert AFTER INSERT ON agencies
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER agencies_version_update AFTER UPDATE ON agencies
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
CREATE TRIGGER agencies_version_delete AFTER DELETE ON agencies
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE name = 'open311_requests';
END;
