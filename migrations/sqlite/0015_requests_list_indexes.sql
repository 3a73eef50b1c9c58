-- Indexes for the public 311 list (/reportes, ResidentRequestStore::list) and the Open311 list
-- filtered by service without a status, found with bench/requests at 1,000,000 requests: a
-- filter on one column with ORDER BY requested_at DESC, id DESC needs an index that starts
-- with that column and ends with the order, or every row of a service or an alcaldía (up to a
-- fifth of the table) is read and sorted for each page. Keep migrations/postgres/0015 in step.
CREATE INDEX service_requests_service_time ON service_requests (service_code, requested_at, id);
CREATE INDEX service_requests_area_time ON service_requests (area_code, requested_at, id);
-- An alcaldía and a status together; its prefix (area_code, status) also answers the map's
-- counts (0014), so that index goes.
CREATE INDEX service_requests_area_status_time
  ON service_requests (area_code, status, requested_at, id);
DROP INDEX service_requests_area_status;
