-- presale's first schema: every entity of DESIGN.md.
-- {{id}}, {{time}} and {{bytes}} are replaced per engine (see migrate.go).

CREATE TABLE users (
    id {{id}},
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('sales', 'devrel', 'manager')),
    admin BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL DEFAULT 5,
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    calendar_token TEXT NOT NULL,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE UNIQUE INDEX users_calendar_token_key ON users (calendar_token);
CREATE INDEX users_role_idx ON users (role, active);

CREATE TABLE sessions (
    token TEXT PRIMARY KEY,
    data {{bytes}} NOT NULL,
    expiry {{time}} NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

CREATE TABLE accounts (
    id {{id}},
    name TEXT NOT NULL,
    domain TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX accounts_name_idx ON accounts (lower(name));

CREATE TABLE contacts (
    id {{id}},
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX contacts_account_idx ON contacts (account_id);

CREATE TABLE deals (
    id {{id}},
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    title TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    stage TEXT NOT NULL CHECK (stage IN ('prospecting', 'discovery', 'evaluation', 'proposal', 'negotiation', 'closed_won', 'closed_lost')),
    amount_minor BIGINT NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    currency TEXT NOT NULL,
    expected_close_date DATE,
    technical_status TEXT NOT NULL CHECK (technical_status IN ('not_started', 'in_progress', 'technical_win', 'technical_loss', 'at_risk')),
    description TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    closed_at {{time}}
);
CREATE INDEX deals_owner_stage_idx ON deals (owner_id, stage);
CREATE INDEX deals_stage_idx ON deals (stage, expected_close_date);
CREATE INDEX deals_account_idx ON deals (account_id);
CREATE INDEX deals_updated_idx ON deals (updated_at);

CREATE TABLE support_requests (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    requested_by_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('demo', 'deep_dive', 'poc', 'security_review', 'architecture', 'negotiation')),
    needed_by DATE,
    details TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'fulfilled', 'cancelled')),
    claimed_by_id BIGINT REFERENCES users (id),
    claimed_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX support_requests_status_idx ON support_requests (status, needed_by);
CREATE INDEX support_requests_deal_idx ON support_requests (deal_id);

CREATE TABLE assignments (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'supporting')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    override BOOLEAN NOT NULL DEFAULT FALSE,
    claimed_at {{time}} NOT NULL,
    released_at {{time}}
);
-- One active assignment per DevRel and deal; history keeps the rest.
CREATE UNIQUE INDEX assignments_active_key ON assignments (deal_id, user_id) WHERE active;
CREATE INDEX assignments_user_idx ON assignments (user_id, active);
CREATE INDEX assignments_deal_idx ON assignments (deal_id, active);

CREATE TABLE meetings (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    title TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('discovery', 'demo', 'deep_dive', 'poc_review', 'negotiation', 'executive')),
    starts_at {{time}} NOT NULL,
    ends_at {{time}} NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    goal TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled')),
    outcome_notes TEXT NOT NULL DEFAULT '',
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX meetings_starts_idx ON meetings (starts_at);
CREATE INDEX meetings_deal_idx ON meetings (deal_id, starts_at);

CREATE TABLE meeting_contacts (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    contact_id BIGINT NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (meeting_id, contact_id)
);

CREATE TABLE meeting_attendees (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_attendees_user_idx ON meeting_attendees (user_id);

CREATE TABLE syncs (
    id {{id}},
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    notes TEXT NOT NULL DEFAULT '',
    may_raise TEXT NOT NULL DEFAULT '',
    avoid TEXT NOT NULL DEFAULT '',
    sales_confirmed_at {{time}},
    sales_confirmed_by BIGINT REFERENCES users (id),
    dev_rel_confirmed_at {{time}},
    dev_rel_confirmed_by BIGINT REFERENCES users (id),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX syncs_meeting_key ON syncs (meeting_id);

CREATE TABLE offers (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    proposed_by_id BIGINT NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('idea', 'workaround', 'integration', 'poc', 'custom_work', 'roadmap_item', 'service')),
    estimated_effort TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'proposed', 'cleared', 'reserved', 'declined', 'shared', 'accepted', 'rejected', 'withdrawn')),
    hold_trigger TEXT NOT NULL DEFAULT '',
    decline_reason TEXT NOT NULL DEFAULT '',
    shared_meeting_id BIGINT REFERENCES meetings (id),
    decided_by_id BIGINT REFERENCES users (id),
    decided_at {{time}},
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX offers_deal_status_idx ON offers (deal_id, status);
CREATE INDEX offers_status_idx ON offers (status, created_at);

CREATE TABLE questions (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    meeting_id BIGINT REFERENCES meetings (id),
    raised_by_id BIGINT REFERENCES contacts (id),
    category TEXT NOT NULL CHECK (category IN ('security', 'integration', 'performance', 'compliance', 'pricing', 'roadmap', 'other')),
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered')),
    answer TEXT NOT NULL DEFAULT '',
    answered_by_id BIGINT REFERENCES users (id),
    answered_at {{time}},
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX questions_deal_idx ON questions (deal_id, status);
CREATE INDEX questions_meeting_idx ON questions (meeting_id);

CREATE TABLE promises (
    id {{id}},
    deal_id BIGINT NOT NULL REFERENCES deals (id),
    meeting_id BIGINT REFERENCES meetings (id),
    offer_id BIGINT REFERENCES offers (id),
    made_by_id BIGINT NOT NULL REFERENCES users (id),
    owner_id BIGINT NOT NULL REFERENCES users (id),
    text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('existing_feature', 'configuration', 'roadmap', 'custom_work', 'services')),
    feasibility TEXT NOT NULL CHECK (feasibility IN ('unreviewed', 'feasible', 'risky', 'infeasible')),
    feasibility_note TEXT NOT NULL DEFAULT '',
    reviewed_by_id BIGINT REFERENCES users (id),
    reviewed_at {{time}},
    due_date DATE,
    status TEXT NOT NULL CHECK (status IN ('open', 'kept', 'dropped')),
    created_at {{time}} NOT NULL,
    updated_at {{time}} NOT NULL
);
CREATE INDEX promises_deal_idx ON promises (deal_id);
CREATE INDEX promises_feasibility_idx ON promises (feasibility, status);
CREATE INDEX promises_owner_idx ON promises (owner_id, due_date);

CREATE TABLE events (
    id {{id}},
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    deal_id BIGINT REFERENCES deals (id),
    before_summary TEXT NOT NULL DEFAULT '',
    after_summary TEXT NOT NULL DEFAULT '',
    team_only BOOLEAN NOT NULL DEFAULT FALSE,
    at {{time}} NOT NULL
);
CREATE INDEX events_deal_idx ON events (deal_id, at);
CREATE INDEX events_entity_idx ON events (entity, entity_id);

CREATE TABLE notifications (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    event_id BIGINT NOT NULL REFERENCES events (id),
    message TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    read_at {{time}},
    created_at {{time}} NOT NULL
);
CREATE INDEX notifications_user_idx ON notifications (user_id, read_at, created_at);
