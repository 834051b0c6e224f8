-- 3: the outbox's and the audit log's references checked once a statement, not once a row.
-- A foreign key checks each inserted row with a query of its own (about 6 µs a row here:
-- recording a contact wrote three such rows into these two tables, a third of what it cost
-- the server). Both tables only ever gain rows, and what they point at — a practice, a
-- contact — is never removed; so one set-based check per statement, with the removal of a
-- practice or a contact refused outright, keeps the guarantee the keys gave: every row's
-- practice and contact exist, and stay. It is stricter, too: an outbox message's contact
-- must be of the message's own practice.
CREATE TRIGGER practices_kept BEFORE DELETE OR UPDATE OF id ON practices
        FOR EACH ROW EXECUTE FUNCTION frontdesk_refuse('a practice is never removed');
CREATE TRIGGER practices_kept_whole BEFORE TRUNCATE ON practices
        FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_refuse('a practice is never removed');
CREATE TRIGGER contacts_kept BEFORE DELETE OR UPDATE OF id, practice_id ON contacts
        FOR EACH ROW EXECUTE FUNCTION frontdesk_refuse('a recorded contact is never removed');
CREATE TRIGGER contacts_kept_whole BEFORE TRUNCATE ON contacts
        FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_refuse('a recorded contact is never removed');

ALTER TABLE outbox
    DROP CONSTRAINT outbox_practice_id_fkey,
    DROP CONSTRAINT outbox_contact_id_fkey;
-- (Each contact is looked up by its key, a scalar subquery per row: the planner cannot turn
-- it into a join that would scan the whole table when it misjudges its size.)
CREATE FUNCTION frontdesk_outbox_refers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT practice_id FROM added) a
               WHERE NOT EXISTS (SELECT 1 FROM practices p WHERE p.id = a.practice_id))
       OR EXISTS (SELECT 1 FROM added a
                  WHERE a.contact_id IS NOT NULL
                    AND (SELECT c.practice_id FROM contacts c WHERE c.id = a.contact_id)
                        IS DISTINCT FROM a.practice_id) THEN
        RAISE EXCEPTION 'an outbox message refers to a practice or a contact that is not stored'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_refers AFTER INSERT ON outbox REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_outbox_refers();
CREATE TRIGGER outbox_refers_fixed BEFORE UPDATE OF practice_id, contact_id ON outbox
        FOR EACH ROW WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id
                           OR OLD.contact_id IS DISTINCT FROM NEW.contact_id)
        EXECUTE FUNCTION frontdesk_refuse('an outbox message keeps its practice and contact');

ALTER TABLE audit_log DROP CONSTRAINT audit_log_practice_id_fkey;
CREATE FUNCTION frontdesk_audit_refers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT practice_id FROM added) a
               WHERE NOT EXISTS (SELECT 1 FROM practices p WHERE p.id = a.practice_id)) THEN
        RAISE EXCEPTION 'an audit entry refers to a practice that is not stored'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER audit_log_refers AFTER INSERT ON audit_log REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_audit_refers();
