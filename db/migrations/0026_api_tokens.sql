-- Personal API tokens: the secret is shown once and kept only as its
-- SHA-256 (it is random, so a slow hash adds nothing); the prefix lets its
-- owner tell tokens apart.
CREATE TABLE api_tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    expires_at {{time}},
    last_used_at {{time}},
    revoked_at {{time}},
    created_at {{time}} NOT NULL
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);
