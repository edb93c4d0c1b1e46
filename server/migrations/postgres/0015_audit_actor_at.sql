-- An auditor's search for one account over a period (GET /api/audit?actor=…
-- &from=…&to=…; issue 15, ARCHITECTURE.md "City scale"): its count read every
-- entry of the account from the table to test the time; with the time in the
-- index the count is read from the index alone. It serves the lookups by
-- account alone as well, so the old index goes.
CREATE INDEX audit_log_actor_at ON audit_log(actor, at);
DROP INDEX audit_log_actor;
