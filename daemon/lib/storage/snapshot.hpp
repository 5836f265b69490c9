#pragma once
// A consistent copy of the live database for backups (issue 19), taken while the box runs.
//
// A connection of its own reads one WAL snapshot and writes it out with VACUUM INTO, so the
// journal's writer never waits for it (readers do not block the writer in WAL mode); the copy
// is compacted, fsynced, renamed into place and checked with PRAGMA integrity_check before it
// is reported. A copy that fails the check is removed, never backed up.

#include <cstdint>
#include <string>

namespace nestbox::storage {

struct DatabaseSnapshot {
  std::string path;       // the copy
  int64_t bytes = 0;
  int64_t durationMs = 0;  // the copy and its check
  int schemaVersion = 0;  // PRAGMA user_version of the copy
};

// Checks a database file without changing it (read-only, PRAGMA integrity_check): its schema
// version, or std::runtime_error saying what is wrong. For copies and restored copies.
int checkDatabase(const std::string& path);

// Writes the copy of `dbPath` to `outPath` (replacing a previous one). Throws
// std::runtime_error naming what failed; `outPath` does not exist afterwards then.
DatabaseSnapshot snapshotDatabase(const std::string& dbPath, const std::string& outPath);

}  // namespace nestbox::storage
