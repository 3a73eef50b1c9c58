-- The 311 service catalog: what residents can report (Open311 GET /services) and the extra
-- questions each service asks (GET /services/{code}). Services are never deleted, only
-- deactivated: requests keep referring to them. Keep migrations/sqlite/0005 in step.

-- keywords: comma-separated, as Open311 publishes them. sla_hours: working hours until
-- expected_datetime, 0 when there is no commitment. agency_code: who answers by default.
-- code and group_es sort byte by byte (COLLATE "C"), as SQLite's BINARY does, so that
-- ServiceStore::list returns the same order on both databases whatever the server's locale.
CREATE TABLE services (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code TEXT COLLATE "C" NOT NULL UNIQUE,
  name_es TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  description_es TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT '',
  group_es TEXT COLLATE "C" NOT NULL DEFAULT '',
  group_en TEXT NOT NULL DEFAULT '',
  keywords TEXT NOT NULL DEFAULT '',
  agency_code TEXT NOT NULL REFERENCES agencies (code),
  sla_hours DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (sla_hours >= 0 AND sla_hours <= 10000),
  type TEXT NOT NULL DEFAULT 'realtime' CHECK (type IN ('realtime', 'batch', 'blackbox')),
  sort_order INTEGER NOT NULL DEFAULT 0,
  active SMALLINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- ServiceStore::list: ORDER BY group_es, sort_order, code.
CREATE INDEX services_listing ON services (group_es, sort_order, code);
-- Foreign key checks when an agency is renamed or removed.
CREATE INDEX services_agency_code ON services (agency_code);

-- An Open311 attribute of a service. values_json: the choices of a list datatype as a JSON
-- array of {"key", "name"}, '[]' otherwise (they are only ever read with their attribute).
CREATE TABLE service_attributes (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  datatype TEXT NOT NULL
    CHECK (datatype IN ('string', 'number', 'datetime', 'text', 'singlevaluelist',
                        'multivaluelist')),
  variable SMALLINT NOT NULL DEFAULT 1 CHECK (variable IN (0, 1)),
  required SMALLINT NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
  sort_order INTEGER NOT NULL,
  description TEXT NOT NULL,
  datatype_description TEXT NOT NULL DEFAULT '',
  values_json TEXT NOT NULL DEFAULT '[]',
  UNIQUE (service_id, code),
  -- GeoReport v2: `order` is unique within a service. Also the index that loads them in order.
  UNIQUE (service_id, sort_order)
);
