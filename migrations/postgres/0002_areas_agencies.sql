-- The city's areas (alcaldías, later colonias or sectors) and its agencies (dependencias).
-- 311 routes a request to the agency of the area that contains its point; the portal lists
-- both. Keep migrations/sqlite/0002 in step.

CREATE EXTENSION IF NOT EXISTS postgis;

-- An area: its boundary as GeoJSON (WGS84) and its bounding box, as on SQLite, plus geom,
-- derived from the GeoJSON by the database itself (a stored generated column), so that the two
-- can never disagree and store code stays the same SQL on both dialects. code is INEGI's
-- cvegeo ("09007"). INEGI ships some boundaries as Polygon, some as MultiPolygon: ST_Multi
-- gives one type.
CREATE TABLE areas (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('alcaldia')),
  geojson TEXT NOT NULL,
  min_lon DOUBLE PRECISION NOT NULL,
  min_lat DOUBLE PRECISION NOT NULL,
  max_lon DOUBLE PRECISION NOT NULL,
  max_lat DOUBLE PRECISION NOT NULL,
  geom geometry(MultiPolygon, 4326)
    GENERATED ALWAYS AS (ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326))) STORED
);
CREATE INDEX areas_kind_name ON areas (kind, name);
-- Point-in-area lookups (ST_Contains / ST_Intersects) for routing 311 requests.
CREATE INDEX areas_geom ON areas USING GIST (geom);

-- An agency of the city ('city') or of an alcaldía ('alcaldia', with its area).
CREATE TABLE agencies (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_es TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('city', 'alcaldia')),
  area_id BIGINT REFERENCES areas (id)
);
CREATE INDEX agencies_area_id ON agencies (area_id);
