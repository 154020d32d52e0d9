-- Evidence and consent history are immutable once written: call_evidence and lead_consents refuse
-- UPDATE, DELETE and TRUNCATE (a revocation or a new consent is a new row; evidence stays as written).
CREATE OR REPLACE FUNCTION redial_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'RD002',
    MESSAGE = format('%s is append-only: its rows are never changed or deleted (%s refused)', TG_TABLE_NAME, TG_OP),
    HINT = 'Record a new row instead (a revocation, a new consent); evidence of a placed call stays as written.';
END $$;

CREATE OR REPLACE TRIGGER call_evidence_immutable BEFORE UPDATE OR DELETE ON call_evidence
  FOR EACH ROW EXECUTE FUNCTION redial_refuse_change();
CREATE OR REPLACE TRIGGER call_evidence_not_truncated BEFORE TRUNCATE ON call_evidence
  FOR EACH STATEMENT EXECUTE FUNCTION redial_refuse_change();
CREATE OR REPLACE TRIGGER lead_consents_immutable BEFORE UPDATE OR DELETE ON lead_consents
  FOR EACH ROW EXECUTE FUNCTION redial_refuse_change();
CREATE OR REPLACE TRIGGER lead_consents_not_truncated BEFORE TRUNCATE ON lead_consents
  FOR EACH STATEMENT EXECUTE FUNCTION redial_refuse_change();
