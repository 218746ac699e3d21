-- Sessions are now stored by the SHA-256 of their cookie token (docs/decisions/016). Ids written
-- before this change are the raw tokens, and earlier logs may hold them (issue 10), so they are
-- deleted rather than hashed in place: everyone signed in signs in again once.
DELETE FROM "sessions";
