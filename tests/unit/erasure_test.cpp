// Data has an end (issue 21): the leaving phases as a pure rule, the countdown on the test
// clock, erasure over the whole schema and the file itself, the anonymous marker the consent
// rule obeys, the audit log's one narrow path, and the ledger after a restore.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/erasure.hpp"
#include "domain/leaving.hpp"
#include "domain/media_consent.hpp"
#include "domain/retention.hpp"
#include "journal_setting.hpp"
#include "storage/snapshot.hpp"
#include "storage/sqlite.hpp"
#include "system/files.hpp"

using namespace nestbox;
using domain::ErrorKind;
using domain::LeavingPhase;
using testing::kindOf;

namespace {

constexpr const char* kPin = "2468";
constexpr int64_t kDay = 86400;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

domain::EntryChange retitled(const std::string& title) {
  domain::EntryChange c;
  c.title = title;
  return c;
}

domain::ChildChange leaving(const std::string& on) {
  domain::ChildChange c;
  c.leftOn = on;
  return c;
}

// Every cell of every table (whatever tables later issues add) holding any of `needles`,
// as "table: value". Case-insensitive.
std::vector<std::string> cellsContaining(const std::string& dbPath, const std::vector<std::string>& needles) {
  storage::Database db(dbPath, storage::Database::Role::reader);
  std::vector<std::string> tables;
  {
    auto s = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    while (s.step()) tables.push_back(s.text(0));
  }
  REQUIRE(tables.size() > 20);
  std::vector<std::string> found;
  const auto lower = [](std::string v) {
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return v;
  };
  for (const auto& table : tables) {
    // Table names come from sqlite_master, not from input.
    const std::string sql = "SELECT * FROM \"" + table + "\"";
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = sqlite3_column_text(stmt, i);
        if (!text) continue;
        const std::string value = lower(reinterpret_cast<const char*>(text));
        for (const auto& n : needles) {
          if (value.find(lower(n)) != std::string::npos) found.push_back(table + ": " + value.substr(0, 120));
        }
      }
    }
    sqlite3_finalize(stmt);
  }
  return found;
}

// A setting on a database file, with Zebedee Quillfeather (the child to erase) and his parent
// Morwenna, beside the journal setting's families.
struct ErasureSetting : testing::JournalSetting {
  storage::ChildRecord z;
  domain::Principal parentZ;
  std::string parentZId;

  explicit ErasureSetting(const std::string& db = ":memory:", const std::string& ledger = "")
      : JournalSetting(db, ledger) {
    s.accounts.setOwnPin(manager, testing::kManagerPassword, kPin);
    z = s.children.createChild(manager, {"Zebedee", "Quillfeather", "2022-04-04", nursery.id, "2025-09-01",
                                         staff.userId, std::nullopt});
    auto [user, code] = s.accounts.create(manager, {"zeb.parent", "Morwenna Quillfeather", "zeb.family@example.org",
                                                    domain::Role::parent});
    s.accounts.redeemCode("zeb.parent", code.code, "blue whale singing", s.origin);
    parentZ = s.sessions.signIn("zeb.parent", "blue whale singing", s.origin).principal;
    parentZId = user.id;
    s.children.linkCarer(manager, z.id, parentZId);
    s.children.acceptAgreement(parentZ, s.children.agreement(parentZ).version);
    for (const auto& id : {z.id, a.id, b.id}) s.children.recordConsent(manager, id, {true, true, false, ""});
  }

  std::vector<std::string> needles() const {
    return {z.id, "Zebedee", "Quillfeather", parentZId, "zeb.parent", "Morwenna", "zeb.family@example.org"};
  }

  // A photo uploaded from the tablet and processed (inline): its media id.
  std::string photo(const std::string& extra) {
    const std::string bytes = testing::fakeJpeg(800, 600, extra);
    const auto up = s.media.createUpload(staff, static_cast<int64_t>(bytes.size()), "photo.jpg");
    auto append = s.media.append(staff, up.id, 0, static_cast<int64_t>(bytes.size()), std::nullopt);
    append->write(bytes);
    append->finish();
    REQUIRE(s.store.media(up.id)->state == "ready");
    return up.id;
  }

  domain::EntryView observeWith(std::vector<std::string> children, const std::string& title,
                                std::vector<domain::MediaAttachment> media = {}) {
    s.clock.advance(1);
    return s.journal.create(staff, {"observation", "journal", std::nullopt, title, "In the garden.", "", "2026-05-20",
                                    std::move(children), {}, std::move(media)});
  }

  domain::ErasureResult erase(const storage::ChildRecord& child) {
    return s.erasure.erase(manager, child.id, {testing::kManagerPassword, kPin, child.firstName + " " + child.lastName});
  }
};

}  // namespace

TEST_CASE("leaving: the phases of a leaver's journal by the setting's date") {
  struct Case {
    const char* today;
    LeavingPhase phase;
    int daysLeft;
  };
  // Left on 31 July; 90 days of reading (to 29 October), then 90 archived (erased 28 January).
  const Case cases[] = {
      {"2026-07-01", LeavingPhase::leaving, 30}, {"2026-07-31", LeavingPhase::leaving, 0},
      {"2026-08-01", LeavingPhase::left, 90},    {"2026-10-29", LeavingPhase::left, 1},
      {"2026-10-30", LeavingPhase::archived, 90}, {"2027-01-27", LeavingPhase::archived, 1},
      {"2027-01-28", LeavingPhase::due, 0},      {"2027-06-01", LeavingPhase::due, 0},
  };
  for (const auto& c : cases) {
    INFO(c.today);
    const auto l = domain::leavingOf(std::string("2026-07-31"), c.today, 90, 90);
    REQUIRE(l);
    CHECK(l->phase == c.phase);
    CHECK(l->daysLeft == c.daysLeft);
    CHECK(l->readUntil == "2026-10-29");
    CHECK(l->eraseOn == "2027-01-28");
  }
  CHECK_FALSE(domain::leavingOf(std::nullopt, "2026-07-01", 90, 90));
  CHECK_FALSE(domain::hasLeft(domain::leavingOf(std::string("2026-07-31"), "2026-07-31", 90, 90)));
  CHECK(domain::hasLeft(domain::leavingOf(std::string("2026-07-31"), "2026-08-01", 90, 90)));
  CHECK(domain::isArchived(domain::leavingOf(std::string("2026-07-31"), "2026-10-30", 90, 90)));
  CHECK(domain::normaliseTypedName("  zebedee   QUILLFEATHER ") == "zebedee quillfeather");
}

TEST_CASE("erased child marker: other families get only a copy that obscures them, or nothing") {
  using domain::MediaCopy;
  std::map<std::string, storage::ConsentRecord> consents{{"A", {"A", true, true, false, "", 0, ""}}};
  const domain::ConsentLookup lookup = [&](const std::string& id) { return consents.at(id); };
  storage::MediaRecord m;
  m.state = "ready";
  m.sha256 = "orig";
  m.children = {{"A", false}};
  struct Case {
    const char* marker;
    bool redacted;
    MediaCopy expected;
  };
  const Case cases[] = {{"", false, MediaCopy::original},       {"shown", false, MediaCopy::none},
                        {"shown", true, MediaCopy::none},        {"obscured", true, MediaCopy::redacted},
                        {"obscured", false, MediaCopy::none}};
  for (const auto& c : cases) {
    INFO(c.marker << " redacted=" << c.redacted);
    m.erasedChild = c.marker;
    m.redactedSha256 = c.redacted ? std::optional<std::string>("red") : std::nullopt;
    m.redaction = c.redacted ? "cover" : "";
    CHECK(domain::copyForFamily(m, {"A"}, lookup) == c.expected);
  }
  // Only the erased child left in it: no family's child, nobody's.
  m.children.clear();
  m.erasedChild = "obscured";
  CHECK(domain::copyForFamily(m, {"A"}, lookup) == MediaCopy::none);
}

TEST_CASE("erasure: the child is in no table, no file, and the shared photo goes out only redacted") {
  const std::string dir = testing::tempDir("erasure-walk");
  const std::string db = dir + "/nestbox.db";
  ErasureSetting t(db, dir + "/erasure-ledger");
  // Everything a child's life at the setting leaves behind.
  const auto solo = t.photo("solo");
  const auto shared = t.photo("shared");
  const auto soloHash = *t.s.store.media(solo)->sha256;
  const auto own = t.observeWith({t.z.id}, "Zebedee's painting", {{solo, {t.z.id}}});
  const auto both = t.observeWith({t.z.id, t.a.id}, "Den building", {{shared, {t.z.id, t.a.id}}});
  t.s.journal.amend(t.staff, both.entry.id, retitled("Den building together"));
  const auto mention = t.observeWith({t.a.id}, "Ava and Zebedee played tag");
  t.s.journal.addComment(t.parentZ, own.entry.id, t.z.id, "Lovely! From Morwenna");
  t.s.journal.addComment(t.parentZ, both.entry.id, t.z.id, "He talked about the den all evening");
  t.s.engagement.heart(t.parentZ, own.entry.id, t.z.id, true);
  t.s.engagement.heart(t.parentZ, both.entry.id, t.z.id, true);
  t.s.engagement.visit(t.parentZ);
  t.s.journal.contribute(t.parentZ, {t.z.id, "Zebedee at the beach", "Built a sandcastle.", "2026-05-21", {}});
  t.s.children.recordConsent(t.manager, t.z.id, {true, true, false, "Form signed by Morwenna Quillfeather"});
  t.s.invitations.create(t.manager, t.z.id);
  const auto exported = t.s.exports.request(t.parentZ, t.z.id);
  t.s.exportWorkers.runAll();
  REQUIRE(std::filesystem::exists(t.s.mediaFiles.exportPath(exported.record.id)));
  t.s.erasure.requestErasure(t.parentZ, t.z.id, "We are moving away");
  REQUIRE_FALSE(cellsContaining(db, t.needles()).empty());  // the walk finds what is there
  CHECK(t.s.access.mediaCopy(t.parentA, *t.s.store.media(shared)) == domain::MediaCopy::original);

  // Wrong PIN, wrong name, not a manager: refused, nothing erased.
  CHECK(kindOf([&] { t.s.erasure.erase(t.manager, t.z.id, {testing::kManagerPassword, "1111", "Zebedee Quillfeather"}); }) ==
        ErrorKind::unauthenticated);
  CHECK(testing::errorOf([&] { t.s.erasure.erase(t.manager, t.z.id, {testing::kManagerPassword, kPin, "Zebedee"}); })
            .field == "confirm");
  CHECK(kindOf([&] { t.s.erasure.erase(t.staff, t.z.id, {"x", "y", "z"}); }) == ErrorKind::forbidden);
  CHECK(t.s.auditCount("NBX_ERASURE_REFUSED") == 2);
  REQUIRE(t.s.store.child(t.z.id));

  const auto r = t.s.erasure.erase(t.manager, t.z.id, {testing::kManagerPassword, kPin, " zebedee  quillfeather"});
  CHECK(r.counts.entriesRemoved == 2);  // his own entry and the home observation
  CHECK(r.counts.mediaRemoved == 1);
  CHECK(r.counts.mediaMarked == 1);
  CHECK(r.counts.accountsErased == 1);
  CHECK(r.counts.exportsRemoved == 1);
  CHECK(r.reviews == 1);

  // The shared photo: the marker, and Ava's family gets nothing until staff redact.
  const auto marked = *t.s.store.media(shared);
  CHECK(marked.erasedChild == "shown");
  CHECK(marked.children.size() == 1);
  CHECK(t.s.access.mediaCopy(t.parentA, marked) == domain::MediaCopy::none);
  CHECK(t.s.journal.get(t.parentA, both.entry.id).entry.media.empty());
  auto reviews = t.s.erasure.reviews(t.manager);
  REQUIRE(reviews.media.size() == 1);
  CHECK(reviews.media[0].mediaId == shared);
  t.s.media.redact(t.staff, shared, {{10, 10, 100, 100}}, {}, false, true);
  CHECK(t.s.store.media(shared)->erasedChild == "obscured");
  CHECK(t.s.access.mediaCopy(t.parentA, *t.s.store.media(shared)) == domain::MediaCopy::redacted);
  CHECK(t.s.erasure.reviews(t.manager).media.empty());

  // The entry that names him: listed; edited and marked reviewed, its old wording goes too.
  reviews = t.s.erasure.reviews(t.manager);
  REQUIRE(reviews.entries.size() == 1);
  CHECK(reviews.entries[0].entryId == mention.entry.id);
  t.s.journal.amend(t.staff, mention.entry.id, retitled("Ava played tag"));
  t.s.erasure.reviewed(t.manager, mention.entry.id);
  CHECK(t.s.erasure.reviews(t.manager).entries.empty());
  CHECK(kindOf([&] { t.s.erasure.reviewed(t.manager, mention.entry.id); }) == ErrorKind::notFound);

  // The audit log: the erasure names no one; earlier rows carry one stable pseudonym.
  storage::AuditQuery q;
  q.event = "NBX_CHILD_ERASED";
  const auto erasedRows = t.s.store.audit(q);
  REQUIRE(erasedRows.size() == 1);
  CHECK(erasedRows[0].targetType == "erasure");
  CHECK(erasedRows[0].targetId == r.id);
  q.event = "NBX_AUTH_SIGNIN_OK";
  std::set<std::string> parentNames;
  for (const auto& row : t.s.store.audit(q)) {
    if (row.actorName && row.actorName->rfind("erased-", 0) == 0) parentNames.insert(*row.actorName);
  }
  CHECK(parentNames.size() == 1);

  // After the erasure (and VACUUM): nowhere in the schema, the file or its log.
  t.s.store.compact();
  const auto left = cellsContaining(db, t.needles());
  CHECK(left == std::vector<std::string>{});
  for (const auto& file : {db, db + "-wal"}) {
    if (!std::filesystem::exists(file)) continue;
    const auto bytes = slurp(file);
    for (const auto& n : t.needles()) {
      INFO(file << " " << n);
      CHECK(bytes.find(n) == std::string::npos);
    }
  }
  CHECK_FALSE(std::filesystem::exists(t.s.mediaFiles.objectPath(soloHash)));
  CHECK(std::filesystem::exists(t.s.mediaFiles.objectPath(*t.s.store.media(shared)->redactedSha256)));
  CHECK_FALSE(std::filesystem::exists(t.s.mediaFiles.exportPath(exported.record.id)));
  // The ledger file holds hashes only.
  const auto ledger = slurp(dir + "/erasure-ledger");
  CHECK(ledger.find("erased child") != std::string::npos);
  for (const auto& n : t.needles()) CHECK(ledger.find(n) == std::string::npos);
  // Ava's family still has their entries; the parent account is gone.
  CHECK(t.s.journal.get(t.parentA, both.entry.id).entry.childIds == std::vector<std::string>{t.a.id});
  CHECK_FALSE(t.s.store.userByUsername("zeb.parent"));
  CHECK_FALSE(t.s.store.sessionById(t.parentZ.sessionId));
}

TEST_CASE("audit log: append-only but for the pseudonymising path, which changes only who a row names") {
  const std::string dir = testing::tempDir("erasure-audit");
  testing::Stack s(dir + "/nestbox.db");
  s.setUp();
  // Another connection to the same file, as anything but the one path would write.
  storage::Database other(dir + "/nestbox.db");
  const auto refused = [&](const char* sql) {
    try {
      other.exec(sql);
      return false;
    } catch (const storage::SqliteError& e) {
      return std::string(e.what()).find("append-only") != std::string::npos;
    }
  };
  CHECK(refused("UPDATE audit_log SET actor_name = 'someone else'"));
  CHECK(refused("DELETE FROM audit_log"));
  // Even inside the path, a row's time, event and sequence stay.
  other.exec("BEGIN");
  other.exec("INSERT INTO audit_pseudonymising (id) VALUES (1)");
  CHECK(refused("UPDATE audit_log SET event = 'NBX_SOMETHING_ELSE'"));
  CHECK(refused("UPDATE audit_log SET at = 0"));
  CHECK(refused("DELETE FROM audit_log"));
  other.exec("ROLLBACK");
  // The path itself rewrites who, and nothing else.
  storage::AuditQuery q;
  q.event = "NBX_SETUP_COMPLETED";
  const auto before = s.store.audit(q).at(0);
  REQUIRE(before.actorName);
  CHECK(s.store.pseudonymiseAudit({{*before.actorName, "erased-abc"}}) >= 1);
  const auto after = s.store.audit(q).at(0);
  CHECK(after.actorName == "erased-abc");
  CHECK(after.seq == before.seq);
  CHECK(after.at == before.at);
  CHECK(after.event == before.event);
  CHECK(refused("UPDATE audit_log SET actor_name = 'again'"));  // the flag is gone with the path
}

TEST_CASE("leavers: the family reads until the window ends, then the countdown; restore; erasure at its end") {
  ErasureSetting t;
  t.observeWith({t.z.id}, "Climbing");
  const auto today = t.s.settings.today(t.s.clock.now());
  // Leaving today: still a current child; entries are written.
  t.s.children.updateChild(t.manager, t.z.id, leaving(today));
  t.observeWith({t.z.id}, "Last day");
  t.s.clock.advance(kDay);
  // After the leaving date: nothing new names him, his family still reads.
  CHECK(testing::errorOf([&] { t.observeWith({t.z.id}, "Too late"); }).code == "child_left");
  CHECK(t.s.children.leaving(*t.s.store.child(t.z.id))->phase == LeavingPhase::left);
  CHECK(t.feedIds(t.parentZ).size() == 2);
  CHECK(t.s.erasure.runLeavers() == Json{{"archived", 0}, {"erased", 0}});
  // 90 days on: archived. The family no longer sees him; the job audits it once.
  t.s.clock.advance(90 * kDay);
  CHECK(kindOf([&] { t.s.children.child(t.parentZ, t.z.id); }) == ErrorKind::notFound);
  CHECK(t.s.children.children(t.parentZ, {}).empty());
  CHECK(t.feedIds(t.parentZ).empty());
  CHECK(t.s.erasure.runLeavers() == Json{{"archived", 1}, {"erased", 0}});
  CHECK(t.s.erasure.runLeavers() == Json{{"archived", 0}, {"erased", 0}});
  CHECK(t.s.auditCount("NBX_CHILD_ARCHIVED") == 1);
  const auto archived = t.s.children.leaving(*t.s.store.child(t.z.id));
  CHECK(archived->phase == LeavingPhase::archived);
  CHECK(archived->daysLeft == 90);
  // A manager restores him within the countdown: his family sees him again.
  CHECK(kindOf([&] { t.s.erasure.restore(t.staff, t.z.id); }) == ErrorKind::forbidden);
  t.s.erasure.restore(t.manager, t.z.id);
  CHECK_FALSE(t.s.children.leaving(*t.s.store.child(t.z.id)));
  CHECK(t.feedIds(t.parentZ).size() == 2);
  CHECK(kindOf([&] { t.s.erasure.restore(t.manager, t.z.id); }) == ErrorKind::conflict);
  // He leaves again; at the end of the countdown the job erases him.
  t.s.children.updateChild(t.manager, t.z.id, leaving(t.s.settings.today(t.s.clock.now())));
  t.s.clock.advance(180 * kDay);  // left on L: readable to L+90, archived to L+180, erased on L+181
  CHECK(t.s.erasure.runLeavers() == Json{{"archived", 1}, {"erased", 0}});  // archived anew after the restore
  t.s.clock.advance(kDay);
  CHECK(t.s.erasure.runLeavers() == Json{{"archived", 0}, {"erased", 1}});
  CHECK_FALSE(t.s.store.child(t.z.id));
  CHECK_FALSE(t.s.store.userById(t.parentZId));
  storage::AuditQuery q;
  q.event = "NBX_CHILD_ERASED";
  const auto rows = t.s.store.audit(q);
  REQUIRE(rows.size() == 1);
  CHECK(Json::parse(rows[0].detail)["reason"] == "countdown");
  // Siblings' families are untouched.
  CHECK(t.s.store.child(t.a.id));
  CHECK(t.s.store.userById(t.parentA.userId));
}

TEST_CASE("leavers: a family keeps the account while another child stays; the setting's windows apply") {
  ErasureSetting t;
  t.s.children.linkCarer(t.manager, t.a.id, t.parentZId);  // Morwenna also cares for Ava
  domain::SettingsChange windows;
  windows.leaverReadDays = 7;
  windows.leaverArchiveDays = 7;
  t.s.settings.update(t.manager, windows);
  t.s.children.updateChild(t.manager, t.z.id, leaving(t.s.settings.today(t.s.clock.now())));
  t.s.clock.advance(16 * kDay);
  CHECK(t.s.erasure.runLeavers() == Json{{"archived", 0}, {"erased", 1}});
  CHECK(t.s.store.userById(t.parentZId));  // Ava is still hers
  windows.leaverReadDays = 3;
  CHECK(kindOf([&] { t.s.settings.update(t.manager, windows); }) == ErrorKind::invalid);
  const auto rules = domain::retentionRules(*t.s.settings.current());
  CHECK(std::any_of(rules.begin(), rules.end(), [](const auto& r) { return r.kept == "7 days after the leaving date"; }));
}

TEST_CASE("erasure ledger: a backup taken before an erasure is erased again when restored") {
  const std::string dir = testing::tempDir("erasure-restore");
  const std::string db = dir + "/nestbox.db", ledger = dir + "/erasure-ledger";
  std::string childId, parentId, keptChild;
  {
    ErasureSetting t(db, ledger);
    t.observeWith({t.z.id, t.a.id}, "Den building");
    storage::snapshotDatabase(db, dir + "/backup.db");  // the backup, before the erasure
    t.erase(t.z);
    childId = t.z.id;
    parentId = t.parentZId;
    keptChild = t.a.id;
  }
  // The restore: the backup's database, the box's own ledger file (nestbox-backup carries it).
  for (const auto& f : {db, db + "-wal", db + "-shm"}) std::filesystem::remove(f);
  std::filesystem::copy_file(dir + "/backup.db", db);
  testing::Stack restored(db, ledger);
  REQUIRE(restored.store.child(childId));  // the backup brought him back...
  REQUIRE(restored.store.userById(parentId));
  CHECK(restored.erasure.reapplyLedger() == 2);  // ...and the ledger erases him and her again
  CHECK_FALSE(restored.store.child(childId));
  CHECK_FALSE(restored.store.userById(parentId));
  CHECK(restored.store.child(keptChild));
  CHECK(restored.auditCount("NBX_ERASURE_REAPPLIED") == 1);
  CHECK(restored.erasure.reapplyLedger() == 0);  // nothing more the next time
  CHECK(cellsContaining(db, {childId, parentId, "Zebedee", "zeb.parent"}) == std::vector<std::string>{});
}

TEST_CASE("erasure requests and opt-out: a family asks and opts out from their account; only their own child") {
  ErasureSetting t;
  t.observeWith({t.z.id}, "Sand play");
  CHECK(kindOf([&] { t.s.erasure.requestErasure(t.parentA, t.z.id, ""); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.erasure.requestErasure(t.staff, t.z.id, ""); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { t.s.erasure.requestErasure(t.parentZ, t.z.id, std::string(501, 'x')); }) == ErrorKind::invalid);
  t.s.erasure.requestErasure(t.parentZ, t.z.id, "Please");
  CHECK(kindOf([&] { t.s.erasure.requestErasure(t.parentZ, t.z.id, ""); }) == ErrorKind::conflict);
  const auto list = t.s.erasure.requests(t.manager);
  REQUIRE(list.size() == 1);
  CHECK(list[0].childName == "Zebedee Quillfeather");
  CHECK(list[0].requestedByName == "Morwenna Quillfeather");
  CHECK(kindOf([&] { t.s.erasure.requests(t.staff); }) == ErrorKind::forbidden);
  CHECK(t.s.erasure.counts().second == 1);
  t.s.erasure.withdrawRequest(t.parentZ, t.z.id);
  CHECK(t.s.erasure.requests(t.manager).empty());
  CHECK(kindOf([&] { t.s.erasure.withdrawRequest(t.parentZ, t.z.id); }) == ErrorKind::notFound);
  // Opt-out: at once, from the family's account; the journal is shown to no one online.
  CHECK(kindOf([&] { t.s.children.optOut(t.parentA, t.z.id); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.children.optOut(t.manager, t.z.id); }) == ErrorKind::forbidden);
  REQUIRE(t.feedIds(t.parentZ).size() == 1);
  const auto c = t.s.children.optOut(t.parentZ, t.z.id);
  CHECK(c.onlineJournalOptOut);
  CHECK(c.recordedBy == t.parentZId);
  CHECK(t.feedIds(t.parentZ).empty());
  CHECK(t.s.auditCount("NBX_CONSENT_OPTED_OUT") == 1);
  t.s.children.optOut(t.parentZ, t.z.id);  // again: as it is, not audited twice
  CHECK(t.s.auditCount("NBX_CONSENT_OPTED_OUT") == 1);
}

TEST_CASE("erasure: an export of the child still being made stops and leaves nothing; other exports go on") {
  ErasureSetting t;
  t.observeWith({t.z.id}, "Sand play");
  t.observeWith({t.a.id}, "Water play");
  t.s.erasure.beforeErasing([&](const std::string& childId) { t.s.exports.stopChild(childId); });
  const auto other = t.s.exports.request(t.parentA, t.a.id);
  const auto queued = t.s.exports.request(t.parentZ, t.z.id);
  t.erase(t.z);
  CHECK_FALSE(t.s.store.exportById(queued.record.id));
  t.s.exportWorkers.runAll();
  CHECK_FALSE(std::filesystem::exists(t.s.mediaFiles.exportPath(queued.record.id)));
  CHECK(t.s.store.exportById(other.record.id)->state == "ready");
}
