-- CalDAV accounts (iCloud, Fastmail, Nextcloud, any CalDAV server), connected with a username
-- and password: the credential is sealed in access_token_sealed like an OAuth token (it never
-- expires, so access_expires_at is the largest instant and refresh_token_sealed seals an empty
-- text), and server_url is the account's calendar home. Calendars gain the colour the member
-- knows them by, from every provider.
ALTER TABLE calendar_connections DROP CONSTRAINT calendar_connections_provider_check;
ALTER TABLE calendar_connections ADD CONSTRAINT calendar_connections_provider_check
    CHECK (provider IN ('google', 'microsoft', 'caldav'));
ALTER TABLE calendar_connections ADD COLUMN server_url TEXT; -- CalDAV: the calendar home; NULL for OAuth providers
ALTER TABLE connection_calendars ADD COLUMN color TEXT; -- #rrggbb
