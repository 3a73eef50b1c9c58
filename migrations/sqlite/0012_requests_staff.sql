-- Work in the agencies (issue 4, item 6): the person a request is assigned to, and the indexes
-- behind the staff inbox (/atencion) and the call-centre console (/operador).
-- Keep migrations/postgres/0012 in step.

-- The staff member (an account holding a staff role for the request's agency) working on it;
-- NULL while nobody is. Cleared when the request moves to another agency.
ALTER TABLE service_requests ADD COLUMN assignee_account_id BIGINT REFERENCES accounts (id);

-- The inbox lists one agency's requests, by status, newest first (sort by age), or by SLA due
-- time (sort by SLA, and the overdue filter: expected_at < now among open statuses).
CREATE INDEX service_requests_agency ON service_requests (agency_code, status, requested_at, id);
CREATE INDEX service_requests_agency_due ON service_requests (agency_code, expected_at, id);
CREATE INDEX service_requests_assignee ON service_requests (assignee_account_id)
  WHERE assignee_account_id IS NOT NULL;

-- The operator console: a caller's requests by the phone or e-mail they gave at intake (only
-- rows that carry one; by account, 0011's service_requests_account serves).
CREATE INDEX service_requests_phone ON service_requests (phone, requested_at)
  WHERE phone <> '';
CREATE INDEX service_requests_email ON service_requests (email, requested_at)
  WHERE email <> '';
