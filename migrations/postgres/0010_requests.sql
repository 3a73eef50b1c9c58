-- 311 service requests (Open311 GeoReport v2 POST/GET requests), their history of status
-- changes and notes (FixMyStreet's servicerequestupdates), the API keys issued to apps and
-- channels, and the rules that route a request to the agency that answers it.
-- Keep migrations/sqlite/0010 in step.

-- An app or channel allowed to POST (Open311 GeoReport v2: api_key). Only the SHA-256 of the
-- key is kept (hex): the key itself is shown once, when it is made. A revoked key stays, so
-- that the requests it filed keep their channel.
CREATE TABLE open311_api_keys (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  key_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

-- Which agency answers a service in an area. '*' matches any service or any area; the most
-- specific rule wins: (service, area), then (service, '*'), then ('*', area), then ('*', '*');
-- with no rule, the service's own agency_code (services table) answers.
CREATE TABLE routing_rules (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_code TEXT COLLATE "C" NOT NULL,
  area_code TEXT COLLATE "C" NOT NULL,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  UNIQUE (service_code, area_code)
);
CREATE INDEX routing_rules_agency_code ON routing_rules (agency_code);

-- One service request. folio is the public id (Open311 service_request_id); token the answer
-- of a batch service (GET /tokens/{token}). lat/lon are NULL for a request given by address
-- only; area_code is the area that contains the point (NULL without a point).
-- PERSONAL DATA (never in GET answers, open data or logs): email, first_name, last_name,
-- phone, device_id, account_id.
-- channel: 'web', 'phone', 'api:<key name>'. attributes_json: the validated Open311 attribute
-- answers, a JSON array of {"code", "values"}. expected_at: the SLA due time from the
-- working calendar; closed_at: when it last entered a closed status (NULL while open).
CREATE TABLE service_requests (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  folio TEXT NOT NULL UNIQUE,
  token TEXT NOT NULL UNIQUE,
  service_code TEXT COLLATE "C" NOT NULL REFERENCES services (code),
  status TEXT NOT NULL
    CHECK (status IN ('open', 'acknowledged', 'in_progress', 'action_scheduled', 'fixed',
                      'closed_not_fixed', 'duplicate', 'not_ours', 'reopened')),
  status_notes TEXT NOT NULL DEFAULT '',
  lat DOUBLE PRECISION CHECK (lat IS NULL OR (lat >= -90 AND lat <= 90)),
  lon DOUBLE PRECISION CHECK (lon IS NULL OR (lon >= -180 AND lon <= 180)),
  address_string TEXT NOT NULL DEFAULT '',
  address_id TEXT NOT NULL DEFAULT '',
  area_code TEXT,
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  email TEXT NOT NULL DEFAULT '',
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  device_id TEXT NOT NULL DEFAULT '',
  account_id TEXT NOT NULL DEFAULT '',
  attributes_json TEXT NOT NULL DEFAULT '[]',
  channel TEXT NOT NULL,
  api_key_id BIGINT REFERENCES open311_api_keys (id),
  media_url TEXT NOT NULL DEFAULT '',
  requested_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expected_at BIGINT,
  closed_at BIGINT,
  parent_id BIGINT REFERENCES service_requests (id),
  private SMALLINT NOT NULL DEFAULT 0 CHECK (private IN (0, 1))
);
-- GET /requests: the default window (newest first), and the status and service filters with
-- it. Every list is ORDER BY requested_at DESC, id DESC, so each index ends with those.
CREATE INDEX service_requests_requested ON service_requests (requested_at, id);
CREATE INDEX service_requests_status ON service_requests (status, requested_at, id);
CREATE INDEX service_requests_service ON service_requests (service_code, status, requested_at, id);
-- updated_after / updated_before (clients syncing changes).
CREATE INDEX service_requests_updated ON service_requests (updated_at);
CREATE INDEX service_requests_parent ON service_requests (parent_id);
CREATE INDEX service_requests_api_key ON service_requests (api_key_id);

-- Points of the requests for "what is near here" (duplicates, map tiles): a PostGIS column
-- the database derives from lat/lon (so the two can never disagree) and a GiST index (SQLite
-- uses an R*Tree virtual table for the same job).
ALTER TABLE service_requests ADD COLUMN geom geometry(Point, 4326)
  GENERATED ALWAYS AS (
    CASE WHEN lat IS NOT NULL AND lon IS NOT NULL
         THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED;
CREATE INDEX service_requests_geom ON service_requests USING GIST (geom);

-- The history of a request: every status change and every note. public = 0 for internal
-- notes (never in Open311 answers). actor: 'api:<key name>', 'staff:<account>', 'resident',
-- 'system'. status: the internal status after this update.
CREATE TABLE service_request_updates (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id BIGINT NOT NULL REFERENCES service_requests (id),
  status TEXT NOT NULL
    CHECK (status IN ('open', 'acknowledged', 'in_progress', 'action_scheduled', 'fixed',
                      'closed_not_fixed', 'duplicate', 'not_ours', 'reopened')),
  description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  media_url TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  public SMALLINT NOT NULL DEFAULT 1 CHECK (public IN (0, 1))
);
CREATE INDEX service_request_updates_request ON service_request_updates (request_id, id);
-- GET /servicerequestupdates: by time window.
CREATE INDEX service_request_updates_created ON service_request_updates (created_at, id);
