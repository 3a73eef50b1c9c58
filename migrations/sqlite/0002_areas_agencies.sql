-- The city's areas (alcaldías, later colonias or sectors) and its agencies (dependencias).
-- 311 routes a request to the agency of the area that contains its point; the portal lists
-- both. Keep migrations/postgres/0002 in step.

-- An area: its boundary as GeoJSON (WGS84) and its bounding box, so that a point can be
-- tested cheaply against the box before the polygon. code is INEGI's cvegeo ("09007").
CREATE TABLE areas (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('alcaldia')),
  geojson TEXT NOT NULL,
  min_lon REAL NOT NULL,
  min_lat REAL NOT NULL,
  max_lon REAL NOT NULL,
  max_lat REAL NOT NULL
);
CREATE INDEX areas_kind_name ON areas (kind, name);

-- An agency of the city ('city') or of an alcaldía ('alcaldia', with its area).
CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_es TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('city', 'alcaldia')),
  area_id INTEGER REFERENCES areas (id)
);
CREATE INDEX agencies_area_id ON agencies (area_id);
