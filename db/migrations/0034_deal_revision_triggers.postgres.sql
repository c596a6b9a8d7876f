-- A kept page is true while its deal's revision is unchanged (migration
-- 31). The service's write counts it for every change it makes; these
-- count it for every row about a deal, whichever path writes it (a
-- fixture, a script, a future use case that forgets).

CREATE FUNCTION deal_revision_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.deal_id IS DISTINCT FROM OLD.deal_id) THEN
        UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION deal_revision_of_meeting_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE deals SET revision = revision + 1 WHERE id = (SELECT deal_id FROM meetings WHERE id = OLD.meeting_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.meeting_id IS DISTINCT FROM OLD.meeting_id) THEN
        UPDATE deals SET revision = revision + 1 WHERE id = (SELECT deal_id FROM meetings WHERE id = NEW.meeting_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER assignments_deal_revision AFTER INSERT OR UPDATE OR DELETE ON assignments
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER support_requests_deal_revision AFTER INSERT OR UPDATE OR DELETE ON support_requests
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER meetings_deal_revision AFTER INSERT OR UPDATE OR DELETE ON meetings
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER offers_deal_revision AFTER INSERT OR UPDATE OR DELETE ON offers
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER questions_deal_revision AFTER INSERT OR UPDATE OR DELETE ON questions
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER promises_deal_revision AFTER INSERT OR UPDATE OR DELETE ON promises
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER tasks_deal_revision AFTER INSERT OR UPDATE OR DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER deal_notes_deal_revision AFTER INSERT OR UPDATE OR DELETE ON deal_notes
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER comments_deal_revision AFTER INSERT OR UPDATE OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER events_deal_revision AFTER INSERT OR UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_row();
CREATE TRIGGER meeting_attendees_deal_revision AFTER INSERT OR UPDATE OR DELETE ON meeting_attendees
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_meeting_row();
CREATE TRIGGER meeting_contacts_deal_revision AFTER INSERT OR UPDATE OR DELETE ON meeting_contacts
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_meeting_row();
CREATE TRIGGER syncs_deal_revision AFTER INSERT OR UPDATE OR DELETE ON syncs
    FOR EACH ROW EXECUTE FUNCTION deal_revision_of_meeting_row();
