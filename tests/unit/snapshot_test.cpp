// The database copy backups are made from (issue 19): consistent and checked, taken while the
// writer goes on, and never made from a damaged database.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "fixture.hpp"
#include "storage/snapshot.hpp"
#include "storage/sqlite.hpp"

using namespace nestbox;

namespace {
int64_t countRows(const std::string& path) {
  storage::Database db(path, storage::Database::Role::reader);
  auto q = db.prepare("SELECT count(*) FROM notes");
  q.step();
  return q.integer(0);
}
}  // namespace

TEST_CASE("a snapshot of the database is a checked copy of one moment, taken while the writer goes on") {
  const auto dir = testing::tempDir("snapshot");
  const std::string live = dir + "/nestbox.db";
  storage::Database writer(live);
  writer.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  writer.exec("PRAGMA user_version = 7");
  for (int i = 0; i < 2000; ++i) writer.prepare("INSERT INTO notes (body) VALUES (?)").bind(1, std::string(200, 'x')).run();

  // The writer commits all through the copy, on its own connection, as the daemon does.
  std::atomic<bool> copying{true};
  std::atomic<int> written{0};
  std::thread writes([&] {
    while (copying) {
      storage::Transaction tx(writer);
      writer.prepare("INSERT INTO notes (body) VALUES (?)").bind(1, "during the copy").run();
      tx.commit();
      ++written;
    }
  });
  storage::DatabaseSnapshot snapshot;
  try {
    snapshot = storage::snapshotDatabase(live, dir + "/copy.db");
  } catch (...) {
    copying = false;
    writes.join();
    throw;
  }
  copying = false;
  writes.join();

  CHECK(snapshot.path == dir + "/copy.db");
  CHECK(snapshot.bytes > 2000 * 200);
  CHECK(snapshot.schemaVersion == 7);
  CHECK_FALSE(system::fileExists(dir + "/copy.db.part"));
  const int64_t copied = countRows(dir + "/copy.db");
  CHECK(copied >= 2000);                      // everything committed before it started
  CHECK(copied <= 2000 + written.load());     // and nothing that was never committed
  CHECK(countRows(live) == 2000 + written.load());

  // A second copy replaces the first.
  CHECK(storage::snapshotDatabase(live, dir + "/copy.db").bytes > 0);
  CHECK(countRows(dir + "/copy.db") == 2000 + written.load());
}

TEST_CASE("a damaged database is not copied for a backup") {
  const auto dir = testing::tempDir("snapshot-damaged");
  const std::string live = dir + "/nestbox.db";
  {
    storage::Database db(live);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    db.exec("CREATE INDEX notes_body ON notes(body)");
    for (int i = 0; i < 500; ++i) db.prepare("INSERT INTO notes (body) VALUES (?)").bind(1, std::to_string(i) + std::string(300, 'y')).run();
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  {  // A power cut on a bad card: pages in the middle overwritten.
    std::fstream file(live, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096 * 5);
    const std::string junk(4096 * 3, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  CHECK_THROWS_AS(storage::snapshotDatabase(live, dir + "/copy.db"), std::runtime_error);
  CHECK_FALSE(system::fileExists(dir + "/copy.db"));
  CHECK_FALSE(system::fileExists(dir + "/copy.db.part"));
}
