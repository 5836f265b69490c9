#include "storage/migrations.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace nestbox::storage {
namespace {

constexpr std::array kMigrations = {
    // 1: the appliance core — setting, accounts, sessions, throttling, audit log.
    R"sql(
CREATE TABLE box_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE setting (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  framework TEXT NOT NULL CHECK (framework IN ('eyfs', 'cfe')),
  password_require_mixed INTEGER NOT NULL DEFAULT 0,
  password_max_age_days INTEGER NOT NULL DEFAULT 0,
  idle_minutes_manager INTEGER NOT NULL,
  idle_minutes_staff INTEGER NOT NULL,
  idle_minutes_parent INTEGER NOT NULL,
  absolute_hours_manager INTEGER NOT NULL,
  absolute_hours_staff INTEGER NOT NULL,
  absolute_hours_parent INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  email TEXT,
  role TEXT NOT NULL CHECK (role IN ('manager', 'staff', 'parent')),
  password_hash TEXT NOT NULL,
  password_changed_at INTEGER NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  pin_hash TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE password_resets (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  issued_by TEXT NOT NULL
);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  address TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  ended_at INTEGER,
  end_reason TEXT
);
CREATE INDEX sessions_open_by_user ON sessions(user_id) WHERE ended_at IS NULL;
CREATE TABLE auth_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  locked_until INTEGER NOT NULL
);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  event TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  address TEXT,
  device_id TEXT,
  target_type TEXT,
  target_id TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_event ON audit_log(event, seq);
CREATE INDEX audit_by_actor ON audit_log(actor_id, seq);
CREATE INDEX audit_by_time ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
    // 2: the journal — rooms and release schedules, children and their carers, the consent
    // register, the parent agreement, entries with versions, curriculum links and private
    // comment threads per (entry, child).
    R"sql(
ALTER TABLE setting ADD COLUMN agreement_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE setting ADD COLUMN agreement_text TEXT NOT NULL DEFAULT '';
CREATE TABLE rooms (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  release_mode TEXT NOT NULL CHECK (release_mode IN ('live', 'scheduled')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE room_release_points (
  room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'early')),
  created_by TEXT NOT NULL,
  PRIMARY KEY (room_id, at)
);
CREATE TABLE children (
  id TEXT PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  date_of_birth TEXT NOT NULL,
  room_id TEXT NOT NULL REFERENCES rooms(id),
  key_person_id TEXT REFERENCES users(id),
  started_on TEXT NOT NULL,
  left_on TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX children_by_room ON children(room_id);
CREATE TABLE child_carers (
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  parent_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (child_id, parent_id)
);
CREATE INDEX child_carers_by_parent ON child_carers(parent_id, child_id);
CREATE TABLE consents (
  child_id TEXT PRIMARY KEY REFERENCES children(id) ON DELETE CASCADE,
  own_journal_photos INTEGER NOT NULL,
  other_journals INTEGER NOT NULL,
  online_journal_opt_out INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE consent_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  own_journal_photos INTEGER NOT NULL,
  other_journals INTEGER NOT NULL,
  online_journal_opt_out INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE parent_agreements (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  accepted_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, version)
);
CREATE TABLE entries (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('observation', 'snapshot', 'room_post', 'newsletter', 'home')),
  status TEXT NOT NULL CHECK (status IN ('draft', 'staff_only', 'journal', 'pending', 'returned')),
  room_id TEXT REFERENCES rooms(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  next_steps TEXT NOT NULL DEFAULT '',
  observed_on TEXT NOT NULL,
  author_id TEXT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  journal_at INTEGER,
  reviewed_at INTEGER,
  reviewed_by TEXT,
  review_note TEXT NOT NULL DEFAULT '',
  returned_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entries_by_journal_time ON entries(status, journal_at, id);
CREATE INDEX entries_by_room ON entries(room_id, status, journal_at);
CREATE INDEX entries_by_created ON entries(created_at, id);
CREATE TABLE entry_children (
  entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  PRIMARY KEY (entry_id, child_id)
);
CREATE INDEX entry_children_by_child ON entry_children(child_id, entry_id);
CREATE TABLE entry_links (
  entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
  aspect_id TEXT NOT NULL,
  PRIMARY KEY (entry_id, aspect_id)
);
CREATE TABLE entry_versions (
  entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  edited_by TEXT NOT NULL,
  edited_at INTEGER NOT NULL,
  snapshot TEXT NOT NULL,
  PRIMARY KEY (entry_id, version)
);
CREATE TABLE comments (
  id TEXT PRIMARY KEY,
  entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  author_id TEXT NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  hidden_at INTEGER,
  hidden_by TEXT,
  hidden_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX comments_by_thread ON comments(entry_id, child_id, created_at);
)sql",
    // 3: media — photos, videos and documents, each attached to at most one entry, with
    // the children who appear in it. Files are named by the SHA-256 of their content; a
    // redacted copy obscures the children marked `obscured`. Consent is not copied here: it
    // is read at request time, so a consent withdrawn today applies to every item.
    R"sql(
CREATE TABLE media (
  id TEXT PRIMARY KEY,
  entry_id TEXT REFERENCES entries(id) ON DELETE SET NULL,
  position INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL CHECK (kind IN ('image', 'video', 'document')),
  mime TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT,
  redacted_sha256 TEXT,
  width INTEGER,
  height INTEGER,
  duration_ms INTEGER,
  state TEXT NOT NULL CHECK (state IN ('processing', 'ready', 'failed')),
  uploaded_by TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  CHECK (state <> 'ready' OR sha256 IS NOT NULL OR redacted_sha256 IS NOT NULL)
);
CREATE INDEX media_by_entry ON media(entry_id, position);
CREATE INDEX media_by_uploader ON media(uploaded_by, created_at);
CREATE TABLE media_children (
  media_id TEXT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  obscured INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (media_id, child_id)
);
CREATE INDEX media_children_by_child ON media_children(child_id, media_id);
)sql",
    // 4: resumable uploads (tus). `received` bytes of `length` are durable in the part file;
    // the type is sniffed from the first bytes once they have arrived.
    R"sql(
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  length INTEGER NOT NULL CHECK (length > 0),
  received INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
  filename TEXT NOT NULL DEFAULT '',
  mime TEXT,
  kind TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX uploads_by_expiry ON uploads(expires_at);
ALTER TABLE setting ADD COLUMN keep_unredacted_originals INTEGER NOT NULL DEFAULT 0;
CREATE INDEX media_by_state ON media(state);
CREATE INDEX media_by_hash ON media(sha256);
CREATE INDEX media_by_redacted_hash ON media(redacted_sha256);
)sql",
    // 5: registered devices — enrolment codes, the device's public key, one-time challenges,
    // and which device a session, an upload and a media item came from.
    R"sql(
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  room_id TEXT REFERENCES rooms(id) ON DELETE SET NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'revoked')),
  public_key TEXT,
  enrolment_code_hash TEXT UNIQUE,
  enrolment_expires_at INTEGER,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  enrolled_at INTEGER,
  revoked_at INTEGER,
  revoked_by TEXT,
  revoked_reason TEXT NOT NULL DEFAULT '',
  revoked_note TEXT NOT NULL DEFAULT '',
  alert_acknowledged INTEGER NOT NULL DEFAULT 1,
  last_seen_at INTEGER,
  last_user_id TEXT,
  last_address TEXT,
  CHECK (state <> 'active' OR public_key IS NOT NULL)
);
CREATE TABLE device_challenges (
  challenge_hash TEXT PRIMARY KEY,
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
);
ALTER TABLE sessions ADD COLUMN device_id TEXT;
CREATE INDEX sessions_open_by_device ON sessions(device_id) WHERE ended_at IS NULL;
ALTER TABLE uploads ADD COLUMN device_id TEXT;
ALTER TABLE media ADD COLUMN device_id TEXT;
CREATE INDEX media_by_device ON media(device_id, created_at);
)sql",
    // 6: device-bound staff sessions — when the device last proved its key, child view, the
    // shared-tablet PIN's failure count, and the setting's secure networks (every private
    // range and loopback until a manager narrows it to the staff network).
    R"sql(
ALTER TABLE sessions ADD COLUMN device_proven_at INTEGER;
ALTER TABLE sessions ADD COLUMN child_view_child_id TEXT;
ALTER TABLE users ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE setting ADD COLUMN secure_subnets TEXT NOT NULL
  DEFAULT '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, fc00::/7, ::1/128';
)sql",
    // 7: the MDM tier — the SHA-1 fingerprint of the client certificate issued to a device.
    R"sql(
ALTER TABLE devices ADD COLUMN client_cert_sha1 TEXT;
CREATE UNIQUE INDEX devices_by_client_cert ON devices(client_cert_sha1) WHERE client_cert_sha1 IS NOT NULL;
)sql",
    // 8: fault lockdowns (policy 001) — at most one open incident, its updates, how it ended.
    R"sql(
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  engaged_at INTEGER NOT NULL,
  engaged_by TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('web', 'cli', 'dbus', 'button')),
  reason TEXT NOT NULL,
  lifted_at INTEGER,
  lifted_by TEXT NOT NULL DEFAULT '',
  fault TEXT NOT NULL DEFAULT '',
  rectification TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX incidents_one_open ON incidents((1)) WHERE lifted_at IS NULL;
CREATE TABLE incident_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  at INTEGER NOT NULL,
  author TEXT NOT NULL,
  message TEXT NOT NULL
);
)sql",
    // 9: uploads a lockdown stopped, kept in quarantine: neither expired nor resumed.
    R"sql(
ALTER TABLE uploads ADD COLUMN quarantined_at INTEGER;
)sql",
    // 10: who receives each entry and the room each child was in when it was made (issue 13),
    // filled for existing entries from today's rooms; the setting's time zone.
    R"sql(
CREATE TABLE entry_audience (
  entry_id TEXT NOT NULL REFERENCES entries(id),
  child_id TEXT NOT NULL REFERENCES children(id),
  room_id TEXT NOT NULL REFERENCES rooms(id),
  PRIMARY KEY (entry_id, child_id)
);
CREATE INDEX entry_audience_by_child ON entry_audience(child_id, entry_id);
INSERT INTO entry_audience (entry_id, child_id, room_id)
  SELECT ec.entry_id, ec.child_id, c.room_id FROM entry_children ec JOIN children c ON c.id = ec.child_id;
INSERT OR IGNORE INTO entry_audience (entry_id, child_id, room_id)
  SELECT e.id, c.id, c.room_id FROM entries e JOIN children c ON c.room_id = e.room_id
  WHERE e.kind IN ('room_post', 'newsletter');
ALTER TABLE setting ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/London';
)sql",
    // 11: the space kept free on the data disk (0: the larger of 2 GiB and 5 %); receivers
    // carry the entry's journal time (null while it is not in the journal), so a family's
    // feed is read newest first from an index on (child, time) (issue 14).
    R"sql(
ALTER TABLE setting ADD COLUMN storage_reserve_mib INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entry_audience ADD COLUMN journal_at INTEGER;
UPDATE entry_audience SET journal_at =
  (SELECT CASE WHEN e.status = 'journal' THEN e.journal_at END FROM entries e WHERE e.id = entry_audience.entry_id);
DROP INDEX entry_audience_by_child;
CREATE INDEX entry_audience_by_child_time ON entry_audience(child_id, journal_at, entry_id);
)sql",
    // 12: family invitations — a one-time code bound to one child (issue 16); how long they last.
    R"sql(
CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL REFERENCES children(id),
  code_hash TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'waiting', 'used', 'cancelled')),
  account_id TEXT REFERENCES users(id),
  claimed_at INTEGER,
  used_at INTEGER,
  cancelled_at INTEGER
);
CREATE INDEX invitations_by_child ON invitations(child_id, created_at);
CREATE INDEX invitations_by_state ON invitations(state);
ALTER TABLE setting ADD COLUMN invitation_days INTEGER NOT NULL DEFAULT 14;
)sql",
    // 13: journal exports (issue 20): who asked, for which children, how far it got, its file;
    // the year-end reminder's date.
    R"sql(
CREATE TABLE journal_exports (
  id TEXT PRIMARY KEY,
  requested_by TEXT NOT NULL REFERENCES users(id),
  scope TEXT NOT NULL CHECK (scope IN ('family', 'manager', 'leavers')),
  room_id TEXT REFERENCES rooms(id),
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'ready', 'failed', 'cancelled', 'expired')),
  step TEXT NOT NULL DEFAULT '',
  done INTEGER NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  expires_at INTEGER,
  downloaded_at INTEGER,
  error_code TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX journal_exports_by_user ON journal_exports(requested_by, created_at);
CREATE INDEX journal_exports_by_state ON journal_exports(state);
CREATE TABLE journal_export_children (
  export_id TEXT NOT NULL REFERENCES journal_exports(id) ON DELETE CASCADE,
  child_id TEXT NOT NULL REFERENCES children(id),
  position INTEGER NOT NULL,
  PRIMARY KEY (export_id, child_id)
);
CREATE INDEX journal_export_children_by_child ON journal_export_children(child_id);
ALTER TABLE setting ADD COLUMN export_reminder_on TEXT NOT NULL DEFAULT '';
)sql",
    // 14: data has an end (issue 21) — how long a leaver's family keeps reading, and how long
    // an archived journal can be restored; when a leaver was archived; the anonymous "an erased
    // child is in this" marker on shared media; the erasure ledger (keyed hashes, never ids),
    // the entries a manager reviews after an erasure, parents' erasure requests; and the one
    // narrow way through the audit log's append-only trigger: while `audit_pseudonymising`
    // holds a row (inside an erasure's transaction), an update may change who a row names and
    // its detail — never its time, event or sequence — and deletes stay refused.
    R"sql(
ALTER TABLE setting ADD COLUMN leaver_read_days INTEGER NOT NULL DEFAULT 90;
ALTER TABLE setting ADD COLUMN leaver_archive_days INTEGER NOT NULL DEFAULT 90;
ALTER TABLE children ADD COLUMN archived_at INTEGER;
ALTER TABLE media ADD COLUMN erased_child TEXT NOT NULL DEFAULT '' CHECK (erased_child IN ('', 'shown', 'obscured'));
CREATE INDEX media_by_erased_child ON media(erased_child) WHERE erased_child <> '';
CREATE TABLE erasure_ledger (
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('child', 'user')),
  key_id TEXT NOT NULL,
  erased_at INTEGER NOT NULL
);
CREATE TABLE erasure_keys (
  key_id TEXT PRIMARY KEY,
  secret TEXT NOT NULL
);
CREATE TABLE erasure_reviews (
  entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
  erasure_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (entry_id, erasure_id)
);
CREATE TABLE erasure_requests (
  id TEXT PRIMARY KEY,
  child_id TEXT NOT NULL UNIQUE REFERENCES children(id) ON DELETE CASCADE,
  requested_by TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  requested_at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE audit_pseudonymising (
  id INTEGER PRIMARY KEY CHECK (id = 1)
);
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  WHEN NOT EXISTS (SELECT 1 FROM audit_pseudonymising)
    OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.event IS NOT OLD.event
    OR NEW.address IS NOT OLD.address OR NEW.device_id IS NOT OLD.device_id OR NEW.target_type IS NOT OLD.target_type
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
    // 15: photo-first recording and feed (issue 22) — entry templates managers edit (two to
    // start with); hearts, by which a parent tells staff they saw and liked an entry (per
    // entry, child and parent: staff see which family, other families never do); and when
    // each parent last opened the journal, for "new since your last visit".
    R"sql(
CREATE TABLE entry_templates (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL CHECK (kind IN ('observation', 'snapshot')),
  title TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  next_steps TEXT NOT NULL DEFAULT '',
  aspect_ids TEXT NOT NULL DEFAULT '[]',
  updated_at INTEGER NOT NULL,
  updated_by TEXT REFERENCES users(id) ON DELETE SET NULL
);
INSERT INTO entry_templates (id, name, kind, title, body, next_steps, aspect_ids, updated_at) VALUES
  (lower(hex(randomblob(16))), 'WOW moment', 'observation', 'WOW moment',
   'Today I saw something new: ', 'How we will build on it: ', '[]', 0),
  (lower(hex(randomblob(16))), 'Two-year progress check', 'observation', 'Two-year progress check',
   'Communication and language: ' || char(10) || 'Personal, social and emotional development: ' || char(10) ||
   'Physical development: ' || char(10) || 'What the family told us: ',
   'Agreed with the family: ', '["eyfs.cl.sp","eyfs.psed.br","eyfs.pd.gm"]', 0);
CREATE TABLE entry_hearts (
  entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
  child_id TEXT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (entry_id, child_id, user_id)
);
CREATE INDEX entry_hearts_by_child ON entry_hearts(child_id);
CREATE INDEX entry_hearts_by_user ON entry_hearts(user_id);
CREATE TABLE feed_visits (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  visited_at INTEGER NOT NULL,
  previous_at INTEGER
);
)sql",
    // 16: parents at home (issue 31) — whether managers may read from outside the setting's
    // network (families may; staff never).
    R"sql(
ALTER TABLE setting ADD COLUMN outside_manager_read INTEGER NOT NULL DEFAULT 0;
)sql",
    // 17: redaction that hides (issue 32) — each redacted item keeps how it was covered and
    // its areas, so a stronger method can cover the stored copy again. Copies made before
    // are 'mosaic' (pixelated and blurred, areas unknown): families get none of them until
    // staff mark the areas again. The margin around each person is the setting's.
    R"sql(
ALTER TABLE media ADD COLUMN redaction TEXT NOT NULL DEFAULT '' CHECK (redaction IN ('', 'mosaic', 'cover'));
ALTER TABLE media ADD COLUMN redaction_regions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE media ADD COLUMN redaction_margin INTEGER NOT NULL DEFAULT 0;
UPDATE media SET redaction = 'mosaic' WHERE redacted_sha256 IS NOT NULL;
CREATE INDEX media_by_redaction ON media(redaction) WHERE redaction <> 'cover';
ALTER TABLE setting ADD COLUMN redaction_margin_pct INTEGER NOT NULL DEFAULT 10;
)sql",
    // 18: remembered phones (issue 32). A family's session may be remembered on their phone:
    // it keeps the public half of a key the phone made, renews its token only with that key's
    // signature, and keeps each replaced token's digest so a copied old token is recognised.
    // authenticated_at: when the password was last given (asked again for what matters).
    R"sql(
ALTER TABLE sessions ADD COLUMN remember_key TEXT;
ALTER TABLE sessions ADD COLUMN remember_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN rotated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN authenticated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN remember_challenge_hash TEXT;
UPDATE sessions SET rotated_at = created_at, authenticated_at = created_at;
CREATE TABLE session_old_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  rotated_at INTEGER NOT NULL
);
CREATE INDEX session_old_tokens_by_session ON session_old_tokens(session_id);
ALTER TABLE setting ADD COLUMN remember_days INTEGER NOT NULL DEFAULT 90;
)sql",
};

int currentVersion(Database& db) {
  auto stmt = db.prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.integer(0));
}

}  // namespace

int latestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

int migrate(Database& db, int upTo) {
  const int from = currentVersion(db);
  if (from > latestSchemaVersion()) {
    throw SqliteError("database schema version " + std::to_string(from) +
                          " is newer than this nestboxd understands (" +
                          std::to_string(latestSchemaVersion()) + "); refusing to downgrade",
                      SQLITE_ERROR);
  }
  upTo = std::min(upTo, latestSchemaVersion());
  for (int v = from; v < upTo; ++v) {
    Transaction tx(db);
    db.exec(kMigrations[static_cast<std::size_t>(v)]);
    // PRAGMA takes no bound parameters; the value is our own integer, not input.
    const std::string setVersion = "PRAGMA user_version = " + std::to_string(v + 1);
    db.exec(setVersion.c_str());
    tx.commit();
  }
  return std::max(0, upTo - from);
}

}  // namespace nestbox::storage
