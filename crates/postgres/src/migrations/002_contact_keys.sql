-- 2: a contact's client and assignee are those of its own practice, said by the keys: one
-- composite key each instead of three single ones (the practice is the client's), so a row
-- that mixes practices is refused by the database itself, and recording checks two keys a
-- contact rather than three.
ALTER TABLE clients ADD CONSTRAINT clients_practice_id_id_key UNIQUE (practice_id, id);
ALTER TABLE members ADD CONSTRAINT members_practice_id_id_key UNIQUE (practice_id, id);
ALTER TABLE contacts
    DROP CONSTRAINT contacts_practice_id_fkey,
    DROP CONSTRAINT contacts_client_id_fkey,
    DROP CONSTRAINT contacts_assignee_id_fkey,
    ADD CONSTRAINT contacts_client_fkey FOREIGN KEY (practice_id, client_id)
        REFERENCES clients (practice_id, id),
    ADD CONSTRAINT contacts_assignee_fkey FOREIGN KEY (practice_id, assignee_id)
        REFERENCES members (practice_id, id);
