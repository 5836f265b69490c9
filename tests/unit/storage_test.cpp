#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "storage/sqlite_store.hpp"

using namespace nestbox;
using namespace nestbox::storage;

namespace {
UserRecord user(const std::string& id, const std::string& username, const std::string& role = "staff") {
  UserRecord u;
  u.id = id;
  u.username = username;
  u.displayName = "Name " + username;
  u.role = role;
  u.passwordHash = "hash";
  return u;
}

AuditRecord auditAt(int64_t at, const std::string& event) {
  AuditRecord r;
  r.at = at;
  r.event = event;
  return r;
}

std::string pragma(Database& db, const char* sql) {
  auto s = db.prepare(sql);
  s.step();
  return s.text(0);
}
}  // namespace

TEST_CASE("the database opens in WAL mode with foreign keys and the latest schema") {
  const auto dir = testing::tempDir("db");
  { SqliteStore store(dir + "/n.db"); CHECK(store.appliedMigrations() == latestSchemaVersion()); }
  { SqliteStore again(dir + "/n.db"); CHECK(again.appliedMigrations() == 0); }  // applied once only
  Database db(dir + "/n.db");
  CHECK(pragma(db, "PRAGMA journal_mode") == "wal");
  CHECK(pragma(db, "PRAGMA foreign_keys") == "1");
  CHECK(pragma(db, "PRAGMA user_version") == std::to_string(latestSchemaVersion()));
}

TEST_CASE("migration 17: every redacted copy made before it is marked as made the old way") {
  const auto dir = testing::tempDir("mosaic");
  {
    Database db(dir + "/n.db");
    migrate(db, 16);
    db.exec("PRAGMA foreign_keys = OFF");
    db.exec("INSERT INTO media (id, kind, mime, bytes, sha256, redacted_sha256, state, uploaded_by, created_at) VALUES "
            "('plain', 'image', 'image/jpeg', 1, 'a', NULL, 'ready', 'u', 1), "
            "('redacted', 'image', 'image/jpeg', 1, NULL, 'b', 'ready', 'u', 1), "
            "('kept', 'image', 'image/jpeg', 1, 'c', 'd', 'ready', 'u', 1)");
  }
  SqliteStore store(dir + "/n.db");
  CHECK(store.media("plain")->redaction.empty());
  CHECK(store.media("redacted")->redaction == "mosaic");
  CHECK(store.media("kept")->redaction == "mosaic");
  CHECK(store.media("redacted")->redactionRegions.empty());
  CHECK(store.mediaToCoverAgain(10).size() == 2);
  CHECK(store.setting() == std::nullopt);  // no setting yet; the default margin applies
}

TEST_CASE("a database from a newer version is refused, not downgraded") {
  const auto dir = testing::tempDir("newer");
  {
    Database db(dir + "/n.db");
    db.exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS_WITH(SqliteStore(dir + "/n.db"), Catch::Contains("newer than this nestboxd"));
}

TEST_CASE("users: insert, find case-insensitively, duplicates refused, filters") {
  SqliteStore store(":memory:");
  store.insertUser(user("u1", "Ann", "staff"));
  store.insertUser(user("u2", "bob", "parent"));
  CHECK(store.userByUsername("ANN")->id == "u1");
  CHECK_THROWS_AS(store.insertUser(user("u3", "ann")), DuplicateError);
  CHECK(store.users({std::string("parent"), std::nullopt}).size() == 1);
  auto bob = *store.userById("u2");
  bob.active = false;
  store.updateUser(bob);
  CHECK(store.users({std::nullopt, true}).size() == 1);
  CHECK_FALSE(store.userById("nope"));
}

TEST_CASE("a failed transaction leaves nothing behind") {
  SqliteStore store(":memory:");
  CHECK_THROWS(store.transaction([&] {
    store.insertUser(user("u1", "ann"));
    store.appendAudit(auditAt(1, "NBX_ACCOUNT_CREATED"));
    throw std::runtime_error("power cut");
  }));
  CHECK_FALSE(store.userById("u1"));
  CHECK(store.audit({}).empty());
}

TEST_CASE("the audit log is append-only and pages newest first") {
  const auto dir = testing::tempDir("audit");
  SqliteStore store(dir + "/n.db");
  for (int i = 0; i < 5; ++i) store.appendAudit(auditAt(100 + i, i % 2 ? "NBX_AUTH_SIGNIN_OK" : "NBX_AUTH_SIGNIN_FAILED"));
  AuditQuery q;
  q.limit = 2;
  const auto page1 = store.audit(q);
  REQUIRE(page1.size() == 2);
  CHECK(page1[0].seq > page1[1].seq);
  q.beforeSeq = page1[1].seq;
  const auto page2 = store.audit(q);
  REQUIRE(page2.size() == 2);
  CHECK(page2[0].seq < page1[1].seq);
  AuditQuery byEvent;
  byEvent.event = "NBX_AUTH_SIGNIN_OK";
  CHECK(store.audit(byEvent).size() == 2);
  AuditQuery byTime;
  byTime.since = 102;
  byTime.until = 104;
  CHECK(store.audit(byTime).size() == 2);

  Database raw(dir + "/n.db");
  CHECK_THROWS_WITH(raw.exec("UPDATE audit_log SET event = 'x'"), Catch::Contains("append-only"));
  CHECK_THROWS_WITH(raw.exec("DELETE FROM audit_log"), Catch::Contains("append-only"));
}

TEST_CASE("sessions end singly or per user, keeping one") {
  SqliteStore store(":memory:");
  store.insertUser(user("u1", "ann"));
  for (const char* id : {"s1", "s2", "s3"}) {
    store.insertSession({id, std::string("hash-") + id, "u1", "csrf", 10, 10, "addr", "ua", {}, {}, {}, {}, {}});
  }
  store.endSession("s1", 20, "signed_out");
  CHECK(store.sessionById("s1")->endReason == "signed_out");
  CHECK(store.endUserSessions("u1", 30, "password_changed", std::string("s3")) == 1);
  const auto open = store.openSessions("u1");
  REQUIRE(open.size() == 1);
  CHECK(open[0].id == "s3");
  CHECK(store.sessionWithUser("hash-s3")->second.username == "ann");
  // Foreign keys are enforced: no session for a user that does not exist.
  CHECK_THROWS_AS(store.insertSession({"s9", "h9", "ghost", "c", 1, 1, "a", "u", {}, {}, {}, {}, {}}), SqliteError);
}

TEST_CASE("a remembered phone's session: its token replaced, the old one known, kept to its last day") {
  SqliteStore store(":memory:");
  store.insertUser(user("u1", "ann"));
  SessionRecord phone{"p1", "hash-old", "u1", "csrf", 10, 10, "addr", "ua", {}, {}, {}, {}, {}};
  phone.rememberKey = "spki";
  phone.rememberUntil = 10 + 90 * 86400;
  phone.rotatedAt = phone.authenticatedAt = 10;
  store.insertSession(phone);
  store.insertSession({"o1", "hash-ordinary", "u1", "csrf", 10, 10, "addr", "ua", {}, {}, {}, {}, {}});
  store.setSessionChallenge("p1", std::string("challenge-digest"));
  CHECK(store.sessionById("p1")->rememberChallengeHash == std::string("challenge-digest"));

  store.rotateSessionToken("p1", "hash-old", "hash-new", 500);
  CHECK_FALSE(store.sessionWithUser("hash-old"));
  const auto renewed = store.sessionWithUser("hash-new");
  REQUIRE(renewed);
  CHECK(renewed->first.rotatedAt == 500);
  CHECK(renewed->first.lastSeenAt == 500);
  CHECK_FALSE(renewed->first.rememberChallengeHash);  // a challenge is good for one renewal
  CHECK(renewed->first.remembered());
  const auto old = store.sessionOfOldToken("hash-old");
  REQUIRE(old);
  CHECK(old->first.id == "p1");
  CHECK(old->second == 500);
  CHECK_FALSE(store.sessionOfOldToken("hash-new"));

  store.confirmSessionPassword("p1", 700);
  CHECK(store.sessionById("p1")->authenticatedAt == 700);

  // Idle for weeks: the ordinary session is purged, the remembered one lives to its last day.
  const int64_t weeksLater = 30 * 86400;
  CHECK(store.purgeSessions(weeksLater - 30 * 86400, weeksLater - 2 * 86400) == 1);
  CHECK(store.sessionById("p1"));
  CHECK_FALSE(store.sessionById("o1"));
  const int64_t pastItsDay = phone.rememberUntil + 3 * 86400;
  CHECK(store.purgeSessions(pastItsDay - 30 * 86400, pastItsDay - 2 * 86400) == 1);
  CHECK_FALSE(store.sessionOfOldToken("hash-old"));  // its old tokens go with it
}
