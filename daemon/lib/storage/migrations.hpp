#pragma once
// Versioned schema migrations, applied in order at start-up inside one transaction each.
// The schema version lives in PRAGMA user_version. Released migrations are never edited:
// a change is a new entry at the end.

#include "storage/sqlite.hpp"

namespace nestbox::storage {

int latestSchemaVersion();
// Applies every migration above the database's version; returns how many were applied.
// Refuses a database newer than this build knows (a downgrade would lose data). Tests stop at
// `upTo` to put rows in as an older box had them.
int migrate(Database& db, int upTo = latestSchemaVersion());

}  // namespace nestbox::storage
