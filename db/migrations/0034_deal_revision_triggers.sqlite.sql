-- A kept page is true while its deal's revision is unchanged (migration
-- 31). The service's write counts it for every change it makes; these
-- count it for every row about a deal, whichever path writes it (a
-- fixture, a script, a future use case that forgets).

CREATE TRIGGER assignments_deal_revision_insert AFTER INSERT ON assignments
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER assignments_deal_revision_update AFTER UPDATE ON assignments
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER assignments_deal_revision_delete AFTER DELETE ON assignments
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER support_requests_deal_revision_insert AFTER INSERT ON support_requests
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER support_requests_deal_revision_update AFTER UPDATE ON support_requests
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER support_requests_deal_revision_delete AFTER DELETE ON support_requests
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER meetings_deal_revision_insert AFTER INSERT ON meetings
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER meetings_deal_revision_update AFTER UPDATE ON meetings
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER meetings_deal_revision_delete AFTER DELETE ON meetings
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER offers_deal_revision_insert AFTER INSERT ON offers
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER offers_deal_revision_update AFTER UPDATE ON offers
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER offers_deal_revision_delete AFTER DELETE ON offers
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER questions_deal_revision_insert AFTER INSERT ON questions
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER questions_deal_revision_update AFTER UPDATE ON questions
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER questions_deal_revision_delete AFTER DELETE ON questions
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER promises_deal_revision_insert AFTER INSERT ON promises
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER promises_deal_revision_update AFTER UPDATE ON promises
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER promises_deal_revision_delete AFTER DELETE ON promises
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER tasks_deal_revision_insert AFTER INSERT ON tasks
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER tasks_deal_revision_update AFTER UPDATE ON tasks
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER tasks_deal_revision_delete AFTER DELETE ON tasks
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER deal_notes_deal_revision_insert AFTER INSERT ON deal_notes
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER deal_notes_deal_revision_update AFTER UPDATE ON deal_notes
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER deal_notes_deal_revision_delete AFTER DELETE ON deal_notes
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER comments_deal_revision_insert AFTER INSERT ON comments
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER comments_deal_revision_update AFTER UPDATE ON comments
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER comments_deal_revision_delete AFTER DELETE ON comments
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER events_deal_revision_insert AFTER INSERT ON events
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = NEW.deal_id;
END;
CREATE TRIGGER events_deal_revision_update AFTER UPDATE ON events
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (OLD.deal_id, NEW.deal_id);
END;
CREATE TRIGGER events_deal_revision_delete AFTER DELETE ON events
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = OLD.deal_id;
END;

CREATE TRIGGER meeting_attendees_deal_revision_insert AFTER INSERT ON meeting_attendees
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = (SELECT deal_id FROM meetings WHERE id = NEW.meeting_id);
END;
CREATE TRIGGER meeting_attendees_deal_revision_update AFTER UPDATE ON meeting_attendees
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (SELECT deal_id FROM meetings WHERE id IN (OLD.meeting_id, NEW.meeting_id));
END;
CREATE TRIGGER meeting_attendees_deal_revision_delete AFTER DELETE ON meeting_attendees
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = (SELECT deal_id FROM meetings WHERE id = OLD.meeting_id);
END;

CREATE TRIGGER meeting_contacts_deal_revision_insert AFTER INSERT ON meeting_contacts
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = (SELECT deal_id FROM meetings WHERE id = NEW.meeting_id);
END;
CREATE TRIGGER meeting_contacts_deal_revision_update AFTER UPDATE ON meeting_contacts
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (SELECT deal_id FROM meetings WHERE id IN (OLD.meeting_id, NEW.meeting_id));
END;
CREATE TRIGGER meeting_contacts_deal_revision_delete AFTER DELETE ON meeting_contacts
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = (SELECT deal_id FROM meetings WHERE id = OLD.meeting_id);
END;

CREATE TRIGGER syncs_deal_revision_insert AFTER INSERT ON syncs
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = (SELECT deal_id FROM meetings WHERE id = NEW.meeting_id);
END;
CREATE TRIGGER syncs_deal_revision_update AFTER UPDATE ON syncs
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id IN (SELECT deal_id FROM meetings WHERE id IN (OLD.meeting_id, NEW.meeting_id));
END;
CREATE TRIGGER syncs_deal_revision_delete AFTER DELETE ON syncs
BEGIN
    UPDATE deals SET revision = revision + 1 WHERE id = (SELECT deal_id FROM meetings WHERE id = OLD.meeting_id);
END;
