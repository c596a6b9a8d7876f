-- A meeting or offer created while its deal was handed over kept the old
-- owner: its insert read the deal before the handover committed, and the
-- handover's update of the deal's meetings could not see the new row yet.
-- The copy now waits for the deal's row (the lock a handover takes), so
-- one of the two comes after the other.
CREATE OR REPLACE FUNCTION deal_owner_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.deal_owner_id := (SELECT owner_id FROM deals WHERE id = NEW.deal_id FOR NO KEY UPDATE);
    RETURN NEW;
END;
$$;
