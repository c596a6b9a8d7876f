-- An offer's thread is the deal team's conversation, whatever the offer's
-- state: the events of comments written on one before this release were
-- kept for everyone while the offer was public, and so showed on the
-- timeline after it was held in reserve.
UPDATE events SET team_only = TRUE
WHERE entity = 'comment' AND entity_id IN (SELECT id FROM comments WHERE offer_id IS NOT NULL);

-- A trigger is the hold's: a released offer no longer carries it (the
-- hold's event keeps it for the team).
UPDATE offers SET hold_trigger = '' WHERE status <> 'reserved' AND hold_trigger <> '';
