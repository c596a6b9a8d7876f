-- A next step can be deleted and the deletion undone: the row stays,
-- marked, so an undo puts back the same step (its id, history and all);
-- every read of next steps skips the marked ones.
ALTER TABLE tasks ADD COLUMN deleted_at {{time}};
