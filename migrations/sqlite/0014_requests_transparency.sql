-- 311's public map (/reportes/mapa, issue 4 item 8): open requests counted per alcaldía.
-- Keep migrations/postgres/0014 in step.
CREATE INDEX service_requests_area_status ON service_requests (area_code, status);
