-- nhs.net (NHSmail) is shared by most NHS staff and every GP practice: it belongs to no single
-- organisation, so people at it choose their organisation at sign-up (docs/decisions/027-joining.md).
-- Skipped if an organisation already owns the domain (a domain is either an organisation's or shared).
INSERT INTO "shared_domains" ("domain")
SELECT 'nhs.net'
WHERE NOT EXISTS (SELECT 1 FROM "organisation_domains" WHERE "domain" = 'nhs.net')
ON CONFLICT ("domain") DO NOTHING;
