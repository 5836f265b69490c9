#include "storage/migrations.hpp"

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
};

int currentVersion(Database& db) {
  auto stmt = db.prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.integer(0));
}

}  // namespace

int latestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

int migrate(Database& db) {
  const int from = currentVersion(db);
  if (from > latestSchemaVersion()) {
    throw SqliteError("database schema version " + std::to_string(from) +
                          " is newer than this nestboxd understands (" +
                          std::to_string(latestSchemaVersion()) + "); refusing to downgrade",
                      SQLITE_ERROR);
  }
  for (int v = from; v < latestSchemaVersion(); ++v) {
    Transaction tx(db);
    db.exec(kMigrations[static_cast<std::size_t>(v)]);
    // PRAGMA takes no bound parameters; the value is our own integer, not input.
    const std::string setVersion = "PRAGMA user_version = " + std::to_string(v + 1);
    db.exec(setVersion.c_str());
    tx.commit();
  }
  return latestSchemaVersion() - from;
}

}  // namespace nestbox::storage
