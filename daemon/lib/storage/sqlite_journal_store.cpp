#include "storage/sqlite_store.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace nestbox::storage {
namespace {

using Json = nlohmann::json;

using Lock = std::lock_guard<std::recursive_mutex>;

ChildRecord readChild(const Statement& s) {
  ChildRecord c;
  c.id = s.text(0);
  c.firstName = s.text(1);
  c.lastName = s.text(2);
  c.dateOfBirth = s.text(3);
  c.roomId = s.text(4);
  c.keyPersonId = s.optionalText(5);
  c.startedOn = s.text(6);
  c.leftOn = s.optionalText(7);
  c.createdAt = s.integer(8);
  c.updatedAt = s.integer(9);
  c.archivedAt = s.optionalInteger(10);
  return c;
}
constexpr const char* kChildColumns =
    "c.id, c.first_name, c.last_name, c.date_of_birth, c.room_id, c.key_person_id, c.started_on, c.left_on, "
    "c.created_at, c.updated_at, c.archived_at";

constexpr const char* kEntryColumns =
    "e.id, e.kind, e.status, e.room_id, e.title, e.body, e.next_steps, e.observed_on, e.author_id, e.version, "
    "e.created_at, e.updated_at, e.journal_at, e.reviewed_at, e.reviewed_by, e.review_note, e.returned_reason";

EntryRecord readEntry(const Statement& s) {
  EntryRecord e;
  e.id = s.text(0);
  e.kind = s.text(1);
  e.status = s.text(2);
  e.roomId = s.optionalText(3);
  e.title = s.text(4);
  e.body = s.text(5);
  e.nextSteps = s.text(6);
  e.observedOn = s.text(7);
  e.authorId = s.text(8);
  e.version = static_cast<int>(s.integer(9));
  e.createdAt = s.integer(10);
  e.updatedAt = s.integer(11);
  e.journalAt = s.optionalInteger(12);
  e.reviewedAt = s.optionalInteger(13);
  e.reviewedBy = s.optionalText(14);
  e.reviewNote = s.text(15);
  e.returnedReason = s.text(16);
  return e;
}

// The columns readConsent reads, in its order.
constexpr const char* kConsentColumns =
    "child_id, own_journal_photos, other_journals, online_journal_opt_out, recorded_by, recorded_at, note";

ConsentRecord readConsent(const Statement& s) {
  return ConsentRecord{s.text(0), s.integer(1) != 0, s.integer(2) != 0, s.integer(3) != 0,
                       s.text(4), s.integer(5), s.text(6)};
}

CommentRecord readComment(const Statement& s) {
  CommentRecord c;
  c.id = s.text(0);
  c.entryId = s.text(1);
  c.childId = s.text(2);
  c.authorId = s.text(3);
  c.body = s.text(4);
  c.createdAt = s.integer(5);
  c.hiddenAt = s.optionalInteger(6);
  c.hiddenBy = s.optionalText(7);
  c.hiddenReason = s.text(8);
  return c;
}
constexpr const char* kCommentColumns =
    "id, entry_id, child_id, author_id, body, created_at, hidden_at, hidden_by, hidden_reason";

constexpr const char* kMediaColumns =
    "m.id, m.entry_id, m.position, m.kind, m.mime, m.bytes, m.sha256, m.redacted_sha256, m.width, m.height, "
    "m.duration_ms, m.state, m.uploaded_by, m.created_at, m.erased_child, m.redaction, m.redaction_regions, "
    "m.redaction_margin";
constexpr int kMediaColumnCount = 18;  // readMedia reads this many

std::string regionsText(const std::vector<RedactedArea>& areas) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : areas) {
    out.push_back({{"x", a.x}, {"y", a.y}, {"width", a.width}, {"height", a.height}, {"pixelate", a.pixelate}});
  }
  return out.dump();
}

std::vector<RedactedArea> regionsFrom(const std::string& text) {
  std::vector<RedactedArea> out;
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_array()) return out;
  for (const auto& a : json) {
    out.push_back({a.value("x", int64_t{0}), a.value("y", int64_t{0}), a.value("width", int64_t{0}),
                   a.value("height", int64_t{0}), a.value("pixelate", false)});
  }
  return out;
}

// Reads the kMediaColumns starting at column `f`.
MediaRecord readMedia(const Statement& s, int f = 0) {
  MediaRecord m;
  m.id = s.text(f + 0);
  m.entryId = s.optionalText(f + 1);
  m.position = static_cast<int>(s.integer(f + 2));
  m.kind = s.text(f + 3);
  m.mime = s.text(f + 4);
  m.bytes = s.integer(f + 5);
  m.sha256 = s.optionalText(f + 6);
  m.redactedSha256 = s.optionalText(f + 7);
  m.width = s.optionalInteger(f + 8);
  m.height = s.optionalInteger(f + 9);
  m.durationMs = s.optionalInteger(f + 10);
  m.state = s.text(f + 11);
  m.uploadedBy = s.text(f + 12);
  m.createdAt = s.integer(f + 13);
  m.erasedChild = s.text(f + 14);
  m.redaction = s.text(f + 15);
  m.redactionRegions = regionsFrom(s.text(f + 16));
  m.redactionMargin = static_cast<int>(s.integer(f + 17));
  return m;
}

}  // namespace

void SqliteStore::insertRoom(const RoomRecord& r) {
  Lock lock(mutex_);
  Changes changes(*this);
  auto s = db_->prepare("INSERT INTO rooms (id, name, release_mode, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  s.bind(1, r.id).bind(2, r.name).bind(3, r.releaseMode).bind(4, r.createdAt).bind(5, r.updatedAt);
  try {
    s.run();
  } catch (const SqliteError& e) {
    if (e.code == SQLITE_CONSTRAINT_UNIQUE) throw DuplicateError("room name already taken");
    throw;
  }
}

void SqliteStore::updateRoom(const RoomRecord& r) {
  Lock lock(mutex_);
  Changes changes(*this);
  auto s = db_->prepare("UPDATE rooms SET name = ?2, release_mode = ?3, updated_at = ?4 WHERE id = ?1");
  s.bind(1, r.id).bind(2, r.name).bind(3, r.releaseMode).bind(4, r.updatedAt);
  try {
    s.run();
  } catch (const SqliteError& e) {
    if (e.code == SQLITE_CONSTRAINT_UNIQUE) throw DuplicateError("room name already taken");
    throw;
  }
}

std::optional<RoomRecord> SqliteStore::room(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT id, name, release_mode, created_at, updated_at FROM rooms WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return RoomRecord{s.text(0), s.text(1), s.text(2), s.integer(3), s.integer(4)};
}

std::vector<RoomRecord> SqliteStore::rooms() {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT id, name, release_mode, created_at, updated_at FROM rooms ORDER BY name COLLATE NOCASE");
  std::vector<RoomRecord> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.integer(3), s.integer(4)});
  return out;
}

void SqliteStore::putReleasePoint(const ReleasePointRecord& p) {
  Lock lock(mutex_);
  Changes changes(*this);
  db_->prepare("INSERT OR REPLACE INTO room_release_points (room_id, at, kind, created_by) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, p.roomId).bind(2, p.at).bind(3, p.kind).bind(4, p.createdBy).run();
}

void SqliteStore::deleteReleasePoint(const std::string& roomId, int64_t at) {
  Lock lock(mutex_);
  Changes changes(*this);
  db_->prepare("DELETE FROM room_release_points WHERE room_id = ?1 AND at = ?2").bind(1, roomId).bind(2, at).run();
}

std::vector<ReleasePointRecord> SqliteStore::releasePoints(const std::string& roomId) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT room_id, at, kind, created_by FROM room_release_points WHERE room_id = ?1 ORDER BY at");
  s.bind(1, roomId);
  std::vector<ReleasePointRecord> out;
  while (s.step()) out.push_back({s.text(0), s.integer(1), s.text(2), s.text(3)});
  return out;
}

void SqliteStore::insertChild(const ChildRecord& c) {
  Lock lock(mutex_);
  Changes changes(*this, {c.id});
  auto s = db_->prepare(
      "INSERT INTO children (id, first_name, last_name, date_of_birth, room_id, key_person_id, started_on, left_on, "
      "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  s.bind(1, c.id).bind(2, c.firstName).bind(3, c.lastName).bind(4, c.dateOfBirth).bind(5, c.roomId);
  s.bind(6, c.keyPersonId).bind(7, c.startedOn).bind(8, c.leftOn).bind(9, c.createdAt).bind(10, c.updatedAt).run();
}

void SqliteStore::updateChild(const ChildRecord& c) {
  Lock lock(mutex_);
  Changes changes(*this, {c.id});
  auto s = db_->prepare(
      "UPDATE children SET first_name = ?2, last_name = ?3, date_of_birth = ?4, room_id = ?5, key_person_id = ?6, "
      "started_on = ?7, left_on = ?8, updated_at = ?9, "
      // A new leaving date (or none) starts the leaver's clock again.
      "archived_at = CASE WHEN left_on IS ?8 THEN archived_at ELSE NULL END WHERE id = ?1");
  s.bind(1, c.id).bind(2, c.firstName).bind(3, c.lastName).bind(4, c.dateOfBirth).bind(5, c.roomId);
  s.bind(6, c.keyPersonId).bind(7, c.startedOn).bind(8, c.leftOn).bind(9, c.updatedAt).run();
}

std::optional<ChildRecord> SqliteStore::child(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kChildColumns + " FROM children c WHERE c.id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return readChild(s);
}

std::vector<ChildRecord> SqliteStore::children(const ChildQuery& q) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kChildColumns +
                         " FROM children c WHERE (?1 IS NULL OR c.room_id = ?1) AND (?2 IS NULL OR c.key_person_id = ?2)"
                         " AND (?3 = 1 OR c.left_on IS NULL OR c.left_on >= ?4)"
                         " AND (?5 = 0 OR c.key_person_id IS NULL)"
                         // The to-do's filters (issue 32), the same conditions as homeCounts.
                         " AND (?6 <> 'consent' OR NOT EXISTS (SELECT 1 FROM consents k WHERE k.child_id = c.id))"
                         " AND (?6 <> 'parent' OR (NOT EXISTS (SELECT 1 FROM child_carers x WHERE x.child_id = c.id)"
                         "   AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.child_id = c.id AND i.state IN ('open', 'waiting')"
                         "   AND i.expires_at > ?7)))"
                         " AND (?6 <> 'observation' OR NOT EXISTS (SELECT 1 FROM entry_children ec JOIN entries e"
                         "   ON e.id = ec.entry_id WHERE ec.child_id = c.id AND e.kind <> 'home' AND e.observed_on >= ?8))"
                         " ORDER BY c.first_name COLLATE NOCASE, c.last_name COLLATE NOCASE, c.id")
                            .c_str());
  s.bind(1, q.roomId).bind(2, q.noKeyPerson ? std::optional<std::string>() : q.keyPersonId).bind(3, q.includeLeft);
  s.bind(4, q.presentOn.empty() ? std::optional<std::string>() : std::optional<std::string>(q.presentOn));
  const char* needs = q.needs == ChildQuery::Needs::consent       ? "consent"
                      : q.needs == ChildQuery::Needs::parent      ? "parent"
                      : q.needs == ChildQuery::Needs::observation ? "observation"
                                                                  : "";
  s.bind(5, q.noKeyPerson).bind(6, needs).bind(7, q.now).bind(8, q.observedSince);
  std::vector<ChildRecord> out;
  while (s.step()) out.push_back(readChild(s));
  return out;
}

std::vector<ChildRecord> SqliteStore::childrenOfParent(const std::string& parentId) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kChildColumns +
                         " FROM children c JOIN child_carers cc ON cc.child_id = c.id WHERE cc.parent_id = ?1"
                         " ORDER BY c.first_name COLLATE NOCASE, c.id")
                            .c_str());
  s.bind(1, parentId);
  std::vector<ChildRecord> out;
  while (s.step()) out.push_back(readChild(s));
  return out;
}

std::vector<std::string> SqliteStore::carersOf(const std::string& childId) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT parent_id FROM child_carers WHERE child_id = ?1 ORDER BY parent_id");
  s.bind(1, childId);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void SqliteStore::linkCarer(const std::string& childId, const std::string& parentId) {
  Lock lock(mutex_);
  Changes changes(*this);
  db_->prepare("INSERT OR IGNORE INTO child_carers (child_id, parent_id) VALUES (?1, ?2)").bind(1, childId).bind(2, parentId).run();
}

void SqliteStore::unlinkCarer(const std::string& childId, const std::string& parentId) {
  Lock lock(mutex_);
  Changes changes(*this);
  db_->prepare("DELETE FROM child_carers WHERE child_id = ?1 AND parent_id = ?2").bind(1, childId).bind(2, parentId).run();
}

std::optional<ConsentRecord> SqliteStore::consent(const std::string& childId) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kConsentColumns + " FROM consents WHERE child_id = ?1").c_str());
  s.bind(1, childId);
  if (!s.step()) return std::nullopt;
  return readConsent(s);
}

std::vector<ConsentRecord> SqliteStore::consents(const std::vector<std::string>& childIds) {
  std::vector<ConsentRecord> out;
  if (childIds.empty()) return out;
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kConsentColumns +
                              " FROM consents WHERE child_id IN (SELECT value FROM json_each(?1))").c_str());
  s.bind(1, Json(childIds).dump());
  while (s.step()) out.push_back(readConsent(s));
  return out;
}

void SqliteStore::putConsent(const ConsentRecord& c) {
  Lock lock(mutex_);
  Changes changes(*this);
  for (const char* sql :
       {"INSERT OR REPLACE INTO consents (child_id, own_journal_photos, other_journals, online_journal_opt_out, "
        "recorded_by, recorded_at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        "INSERT INTO consent_history (child_id, own_journal_photos, other_journals, online_journal_opt_out, "
        "recorded_by, recorded_at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"}) {
    auto s = db_->prepare(sql);
    s.bind(1, c.childId).bind(2, c.ownJournalPhotos).bind(3, c.otherJournals).bind(4, c.onlineJournalOptOut);
    s.bind(5, c.recordedBy).bind(6, c.recordedAt).bind(7, c.note).run();
  }
}

std::vector<ConsentRecord> SqliteStore::consentHistory(const std::string& childId) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kConsentColumns +
                              " FROM consent_history WHERE child_id = ?1 ORDER BY seq DESC").c_str());
  s.bind(1, childId);
  std::vector<ConsentRecord> out;
  while (s.step()) out.push_back(readConsent(s));
  return out;
}

void SqliteStore::acceptAgreement(const std::string& userId, int version, int64_t at) {
  Lock lock(mutex_);
  db_->prepare("INSERT OR IGNORE INTO parent_agreements (user_id, version, accepted_at) VALUES (?1, ?2, ?3)")
      .bind(1, userId).bind(2, version).bind(3, at).run();
}

bool SqliteStore::hasAcceptedAgreement(const std::string& userId, int version) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT 1 FROM parent_agreements WHERE user_id = ?1 AND version = ?2");
  s.bind(1, userId).bind(2, version);
  return s.step();
}

std::vector<std::string> SqliteStore::receivers(const EntryRecord& e, bool stored) {
  std::vector<std::string> ids;
  for (const auto& a : e.audience) ids.push_back(a.childId);
  if (stored) {  // and whoever received it until now
    Lock lock(mutex_);
    auto s = db_->prepare("SELECT child_id FROM entry_audience WHERE entry_id = ?1");
    s.bind(1, e.id);
    while (s.step()) ids.push_back(s.text(0));
  }
  return ids;
}

std::vector<std::string> SqliteStore::receiversOfMedia(const std::string& mediaId) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "SELECT a.child_id FROM media m JOIN entry_audience a ON a.entry_id = m.entry_id WHERE m.id = ?1");
  s.bind(1, mediaId);
  std::vector<std::string> ids;
  while (s.step()) ids.push_back(s.text(0));
  return ids;
}

std::vector<EntryRecord> SqliteStore::readPage(Database& db, Statement& s, const std::optional<EntryCursor>& before,
                                               int limit) {
  if (before) s.bind(s.parameterIndex(":before_time"), before->time).bind(s.parameterIndex(":before_id"), before->id);
  s.bind(s.parameterIndex(":limit"), limit);
  std::vector<EntryRecord> out;
  while (s.step()) out.push_back(readEntry(s));
  readEntryRelations(db, out);
  return out;
}

void SqliteStore::writeEntryRelations(const EntryRecord& e) {
  db_->prepare("UPDATE media SET entry_id = NULL, position = 0 WHERE entry_id = ?1").bind(1, e.id).run();
  for (std::size_t i = 0; i < e.media.size(); ++i) {
    const auto& m = e.media[i];
    db_->prepare("UPDATE media SET entry_id = ?2, position = ?3 WHERE id = ?1")
        .bind(1, m.id).bind(2, e.id).bind(3, static_cast<int64_t>(i)).run();
    db_->prepare("DELETE FROM media_children WHERE media_id = ?1").bind(1, m.id).run();
    for (const auto& tag : m.children) {
      db_->prepare("INSERT OR REPLACE INTO media_children (media_id, child_id, obscured) VALUES (?1, ?2, ?3)")
          .bind(1, m.id).bind(2, tag.childId).bind(3, tag.obscured).run();
    }
  }
  db_->prepare("DELETE FROM entry_children WHERE entry_id = ?1").bind(1, e.id).run();
  db_->prepare("DELETE FROM entry_links WHERE entry_id = ?1").bind(1, e.id).run();
  for (const auto& child : e.childIds) {
    db_->prepare("INSERT OR IGNORE INTO entry_children (entry_id, child_id) VALUES (?1, ?2)").bind(1, e.id).bind(2, child).run();
  }
  for (const auto& aspect : e.aspectIds) {
    db_->prepare("INSERT OR IGNORE INTO entry_links (entry_id, aspect_id) VALUES (?1, ?2)").bind(1, e.id).bind(2, aspect).run();
  }
  db_->prepare("DELETE FROM entry_audience WHERE entry_id = ?1").bind(1, e.id).run();
  const std::optional<int64_t> listedAt = e.status == "journal" ? e.journalAt : std::nullopt;
  for (const auto& a : e.audience) {
    db_->prepare("INSERT OR REPLACE INTO entry_audience (entry_id, child_id, room_id, journal_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, e.id).bind(2, a.childId).bind(3, a.roomId).bind(4, listedAt).run();
  }
}

void SqliteStore::readEntryRelations(Database& db, EntryRecord& e) {
  std::vector<EntryRecord> one;
  one.push_back(std::move(e));
  readEntryRelations(db, one);
  e = std::move(one.front());
}

// The children, links, receivers and media of a page of entries: four statements for the
// page, not four per entry. The ids go in as one JSON array (json_each), so the statement
// text is the same whatever the page's size.
void SqliteStore::readEntryRelations(Database& db, std::vector<EntryRecord>& entries) {
  if (entries.empty()) return;
  std::unordered_map<std::string, EntryRecord*> byId;
  Json ids = Json::array();
  for (auto& e : entries) {
    byId.emplace(e.id, &e);
    ids.push_back(e.id);
  }
  const std::string list = ids.dump();
  auto each = [&](const char* sql, const std::function<void(Statement&, EntryRecord&)>& read) {
    auto s = db.prepare(sql);
    s.bind(1, list);
    while (s.step()) {
      const auto it = byId.find(s.text(0));
      if (it != byId.end()) read(s, *it->second);
    }
  };
  each("SELECT entry_id, child_id FROM entry_children WHERE entry_id IN (SELECT value FROM json_each(?1)) "
       "ORDER BY entry_id, child_id",
       [](Statement& s, EntryRecord& e) { e.childIds.push_back(s.text(1)); });
  each("SELECT entry_id, aspect_id FROM entry_links WHERE entry_id IN (SELECT value FROM json_each(?1)) "
       "ORDER BY entry_id, aspect_id",
       [](Statement& s, EntryRecord& e) { e.aspectIds.push_back(s.text(1)); });
  each("SELECT entry_id, child_id, room_id FROM entry_audience WHERE entry_id IN (SELECT value FROM json_each(?1)) "
       "ORDER BY entry_id, child_id",
       [](Statement& s, EntryRecord& e) { e.audience.push_back({s.text(1), s.text(2)}); });
  // The media and the children in them: rows come per (media, child), in each entry's order.
  static const std::string mediaSql = std::string("SELECT m.entry_id, ") + kMediaColumns +
                                      ", mc.child_id, mc.obscured FROM media m LEFT JOIN media_children mc ON mc.media_id = m.id"
                                      " WHERE m.entry_id IN (SELECT value FROM json_each(?1))"
                                      " ORDER BY m.entry_id, m.position, m.id, mc.child_id";
  auto media = db.prepare(mediaSql.c_str());
  media.bind(1, list);
  while (media.step()) {
    const auto it = byId.find(media.text(0));
    if (it == byId.end()) continue;
    auto& e = *it->second;
    if (e.media.empty() || e.media.back().id != media.text(1)) e.media.push_back(readMedia(media, 1));
    constexpr int tag = 1 + kMediaColumnCount;  // after the entry id and the media columns
    if (!media.isNull(tag)) e.media.back().children.push_back({media.text(tag), media.integer(tag + 1) != 0});
  }
}

void SqliteStore::insertEntry(const EntryRecord& e) {
  Changes changes(*this, receivers(e, false));
  transaction([&] {
    auto s = db_->prepare(
        "INSERT INTO entries (id, kind, status, room_id, title, body, next_steps, observed_on, author_id, version, "
        "created_at, updated_at, journal_at, reviewed_at, reviewed_by, review_note, returned_reason) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    s.bind(1, e.id).bind(2, e.kind).bind(3, e.status).bind(4, e.roomId).bind(5, e.title).bind(6, e.body);
    s.bind(7, e.nextSteps).bind(8, e.observedOn).bind(9, e.authorId).bind(10, e.version).bind(11, e.createdAt);
    s.bind(12, e.updatedAt);
    s.bind(13, e.journalAt);
    s.bind(14, e.reviewedAt);
    s.bind(15, e.reviewedBy).bind(16, e.reviewNote).bind(17, e.returnedReason).run();
    writeEntryRelations(e);
  });
}

void SqliteStore::updateEntry(const EntryRecord& e) {
  Changes changes(*this, receivers(e, true));
  transaction([&] {
    auto s = db_->prepare(
        "UPDATE entries SET kind = ?2, status = ?3, room_id = ?4, title = ?5, body = ?6, next_steps = ?7, "
        "observed_on = ?8, version = ?9, updated_at = ?10, journal_at = ?11, reviewed_at = ?12, reviewed_by = ?13, "
        "review_note = ?14, returned_reason = ?15 WHERE id = ?1");
    s.bind(1, e.id).bind(2, e.kind).bind(3, e.status).bind(4, e.roomId).bind(5, e.title).bind(6, e.body);
    s.bind(7, e.nextSteps).bind(8, e.observedOn).bind(9, e.version).bind(10, e.updatedAt);
    s.bind(11, e.journalAt);
    s.bind(12, e.reviewedAt);
    s.bind(13, e.reviewedBy).bind(14, e.reviewNote).bind(15, e.returnedReason).run();
    writeEntryRelations(e);
  });
}

std::optional<EntryRecord> SqliteStore::entry(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kEntryColumns + " FROM entries e WHERE e.id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  EntryRecord e = readEntry(s);
  readEntryRelations(reader.db, e);
  return e;
}

std::vector<EntryRecord> SqliteStore::entries(const EntryQuery& q) {
  // Only the filters asked for reach the SQL (no ":x IS NULL OR ..." that would keep SQLite
  // from using an index); every value is still a bound parameter.
  std::string where = "1";
  if (q.childId) where += " AND EXISTS (SELECT 1 FROM entry_children ec WHERE ec.entry_id = e.id AND ec.child_id = :child)";
  if (q.roomId) {
    where += " AND (e.room_id = :room OR EXISTS (SELECT 1 FROM entry_children ec JOIN children c"
             " ON c.id = ec.child_id WHERE ec.entry_id = e.id AND c.room_id = :room))";
  }
  if (q.aspectId) where += " AND EXISTS (SELECT 1 FROM entry_links l WHERE l.entry_id = e.id AND l.aspect_id = :aspect)";
  if (q.authorId) where += " AND e.author_id = :author";
  if (q.status) where += " AND e.status = :status";
  if (q.kind) where += " AND e.kind = :kind";
  if (q.observedFrom) where += " AND e.observed_on >= :from";
  if (q.observedTo) where += " AND e.observed_on <= :to";
  if (q.awaitingReview) where += " AND e.status = 'journal' AND e.reviewed_at IS NULL AND e.kind <> 'home'";
  if (q.before) where += " AND (e.created_at < :before_time OR (e.created_at = :before_time AND e.id < :before_id))";
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kEntryColumns + " FROM entries e WHERE " + where +
                              " ORDER BY e.created_at DESC, e.id DESC LIMIT :limit").c_str());
  auto bindIf = [&](const char* name, const std::optional<std::string>& v) {
    if (v) s.bind(s.parameterIndex(name), *v);
  };
  bindIf(":child", q.childId);
  bindIf(":room", q.roomId);
  bindIf(":aspect", q.aspectId);
  bindIf(":author", q.authorId);
  bindIf(":status", q.status);
  bindIf(":kind", q.kind);
  bindIf(":from", q.observedFrom);
  bindIf(":to", q.observedTo);
  return readPage(reader.db, s, q.before, q.limit);
}


namespace {
void bindFilter(Statement& s, const SqlFilter& filter) {
  for (const auto& [name, value] : filter.params) {
    const int index = s.optionalParameterIndex(name.c_str());
    if (index == 0) continue;  // not used by this statement (the listing and the one-entry form differ)
    std::visit([&](const auto& v) { s.bind(index, v); }, value);
  }
}
}  // namespace

std::vector<EntryRecord> SqliteStore::visibleEntries(const SqlFilter& visible, const VisibleEntryQuery& q) {
  if (visible.listing.empty()) return {};
  // Each arm (one receiving child) reads its newest page from the receivers index and stops;
  // the arms are merged, an entry two siblings receive counted once, then the entries read.
  std::string arms;
  for (const auto& arm : visible.listing) {
    if (!arms.empty()) arms += " UNION ALL ";
    arms += "SELECT * FROM (SELECT ea.entry_id AS entry_id, ea.journal_at AS journal_at " + arm;
    if (q.aspectId) arms += " AND EXISTS (SELECT 1 FROM entry_links l WHERE l.entry_id = ea.entry_id AND l.aspect_id = :aspect)";
    if (q.before) arms += " AND (ea.journal_at < :before_time OR (ea.journal_at = :before_time AND ea.entry_id < :before_id))";
    if (q.since) arms += " AND ea.journal_at >= :since";
    arms += " ORDER BY ea.journal_at DESC, ea.entry_id DESC LIMIT :limit)";
  }
  const std::string page = visible.listing.size() == 1
      ? arms
      : "SELECT entry_id, max(journal_at) AS journal_at FROM (" + arms +
            ") GROUP BY entry_id ORDER BY journal_at DESC, entry_id DESC LIMIT :limit";
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kEntryColumns + " FROM (" + page +
                              ") v JOIN entries e ON e.id = v.entry_id ORDER BY v.journal_at DESC, v.entry_id DESC").c_str());
  bindFilter(s, visible);
  if (q.aspectId) s.bind(s.parameterIndex(":aspect"), *q.aspectId);
  if (q.since) s.bind(s.parameterIndex(":since"), *q.since);
  return readPage(reader.db, s, q.before, q.limit);
}

bool SqliteStore::entryVisible(const std::string& entryId, const SqlFilter& visible) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT 1 FROM entries e WHERE e.id = :entry AND (") + visible.where + ")").c_str());
  bindFilter(s, visible);
  s.bind(s.parameterIndex(":entry"), entryId);
  return s.step();
}

std::optional<int64_t> SqliteStore::nextReleaseAfter(int64_t now) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT min(at) FROM room_release_points WHERE at > ?1");
  s.bind(1, now);
  if (!s.step() || s.isNull(0)) return std::nullopt;
  return s.integer(0);
}

void SqliteStore::appendEntryVersion(const EntryVersionRecord& v) {
  Lock lock(mutex_);
  db_->prepare("INSERT INTO entry_versions (entry_id, version, edited_by, edited_at, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, v.entryId).bind(2, v.version).bind(3, v.editedBy).bind(4, v.editedAt).bind(5, v.snapshot).run();
}

std::vector<EntryVersionRecord> SqliteStore::entryVersions(const std::string& entryId) {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT entry_id, version, edited_by, edited_at, snapshot FROM entry_versions WHERE entry_id = ?1 ORDER BY version DESC");
  s.bind(1, entryId);
  std::vector<EntryVersionRecord> out;
  while (s.step()) out.push_back({s.text(0), static_cast<int>(s.integer(1)), s.text(2), s.integer(3), s.text(4)});
  return out;
}

void SqliteStore::insertMedia(const MediaRecord& m) {
  Lock lock(mutex_);
  // A new item is on no entry yet (the entry attaches it), so no family sees it.
  auto s = db_->prepare(
      "INSERT INTO media (id, entry_id, position, kind, mime, bytes, sha256, redacted_sha256, width, height, "
      "duration_ms, state, uploaded_by, created_at, redaction, redaction_regions, redaction_margin) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
  s.bind(1, m.id).bind(2, m.entryId).bind(3, m.position).bind(4, m.kind).bind(5, m.mime).bind(6, m.bytes);
  s.bind(7, m.sha256).bind(8, m.redactedSha256);
  s.bind(9, m.width);
  s.bind(10, m.height);
  s.bind(11, m.durationMs);
  s.bind(12, m.state).bind(13, m.uploadedBy).bind(14, m.createdAt);
  s.bind(15, m.redaction).bind(16, regionsText(m.redactionRegions)).bind(17, m.redactionMargin).run();
}

void SqliteStore::updateMedia(const MediaRecord& m) {
  Lock lock(mutex_);
  Changes changes(*this, receiversOfMedia(m.id));
  auto s = db_->prepare(
      "UPDATE media SET kind = ?2, mime = ?3, bytes = ?4, sha256 = ?5, redacted_sha256 = ?6, width = ?7, height = ?8, "
      "duration_ms = ?9, state = ?10, erased_child = ?11, redaction = ?12, redaction_regions = ?13, "
      "redaction_margin = ?14 WHERE id = ?1");
  s.bind(1, m.id).bind(2, m.kind).bind(3, m.mime).bind(4, m.bytes).bind(5, m.sha256).bind(6, m.redactedSha256);
  s.bind(7, m.width);
  s.bind(8, m.height);
  s.bind(9, m.durationMs);
  s.bind(10, m.state).bind(11, m.erasedChild).bind(12, m.redaction).bind(13, regionsText(m.redactionRegions));
  s.bind(14, m.redactionMargin).run();
}

std::optional<MediaRecord> SqliteStore::media(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kMediaColumns + " FROM media m WHERE m.id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  MediaRecord m = readMedia(s);
  auto tags = reader.db.prepare("SELECT child_id, obscured FROM media_children WHERE media_id = ?1 ORDER BY child_id");
  tags.bind(1, id);
  while (tags.step()) m.children.push_back({tags.text(0), tags.integer(1) != 0});
  return m;
}

std::vector<MediaRecord> SqliteStore::mediaInState(const std::string& state) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kMediaColumns + " FROM media m WHERE m.state = ?1 ORDER BY m.created_at").c_str());
  s.bind(1, state);
  std::vector<MediaRecord> out;
  while (s.step()) out.push_back(readMedia(s));
  return out;
}

std::vector<MediaRecord> SqliteStore::mediaToCoverAgain(int marginPct) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kMediaColumns +
                              " FROM media m WHERE m.redacted_sha256 IS NOT NULL AND (m.redaction = 'mosaic' OR "
                              "(m.redaction = 'cover' AND m.redaction_margin < ?1)) ORDER BY m.created_at, m.id")
                                 .c_str());
  s.bind(1, marginPct);
  std::vector<MediaRecord> out;
  while (s.step()) out.push_back(readMedia(s));
  return out;
}

void SqliteStore::setMediaChildren(const std::string& mediaId, const std::vector<MediaTagRecord>& children) {
  Changes changes(*this, receiversOfMedia(mediaId));
  transaction([&] {
    db_->prepare("DELETE FROM media_children WHERE media_id = ?1").bind(1, mediaId).run();
    for (const auto& tag : children) {
      db_->prepare("INSERT OR REPLACE INTO media_children (media_id, child_id, obscured) VALUES (?1, ?2, ?3)")
          .bind(1, mediaId).bind(2, tag.childId).bind(3, tag.obscured).run();
    }
  });
}

bool SqliteStore::hashReferenced(const std::string& sha256) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT 1 FROM media WHERE sha256 = ?1 OR redacted_sha256 = ?1 LIMIT 1");
  s.bind(1, sha256);
  return s.step();
}

int64_t SqliteStore::mediaBytes() {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT COALESCE(sum(bytes), 0) FROM media WHERE state <> 'failed'");
  s.step();
  return s.integer(0);
}

std::vector<std::string> SqliteStore::mediaHashes() {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT sha256 FROM media WHERE sha256 IS NOT NULL UNION SELECT redacted_sha256 FROM media "
      "WHERE redacted_sha256 IS NOT NULL");
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

namespace {
constexpr const char* kUploadColumns =
    "id, user_id, length, received, filename, mime, kind, created_at, expires_at, device_id, quarantined_at";
UploadRecord readUpload(const Statement& s) {
  return UploadRecord{s.text(0), s.text(1), s.integer(2), s.integer(3), s.text(4),
                      s.optionalText(5), s.optionalText(6), s.integer(7), s.integer(8), s.optionalText(9),
                      s.optionalInteger(10)};
}
}  // namespace

void SqliteStore::insertUpload(const UploadRecord& u) {
  Lock lock(mutex_);
  db_->prepare("INSERT INTO uploads (id, user_id, length, received, filename, mime, kind, created_at, expires_at, "
               "device_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
      .bind(1, u.id).bind(2, u.userId).bind(3, u.length).bind(4, u.received).bind(5, u.filename)
      .bind(6, u.mime).bind(7, u.kind).bind(8, u.createdAt).bind(9, u.expiresAt).bind(10, u.deviceId).run();
}

std::optional<UploadRecord> SqliteStore::upload(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kUploadColumns + " FROM uploads WHERE id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return readUpload(s);
}

void SqliteStore::updateUpload(const UploadRecord& u) {
  Lock lock(mutex_);
  db_->prepare("UPDATE uploads SET received = ?2, mime = ?3, kind = ?4, device_id = ?5 WHERE id = ?1")
      .bind(1, u.id).bind(2, u.received).bind(3, u.mime).bind(4, u.kind).bind(5, u.deviceId).run();
}

void SqliteStore::deleteUpload(const std::string& id) {
  Lock lock(mutex_);
  db_->prepare("DELETE FROM uploads WHERE id = ?1").bind(1, id).run();
}

std::vector<UploadRecord> SqliteStore::uploads() {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kUploadColumns + " FROM uploads ORDER BY created_at").c_str());
  std::vector<UploadRecord> out;
  while (s.step()) out.push_back(readUpload(s));
  return out;
}

namespace {
constexpr const char* kInvitationColumns =
    "id, child_id, code_hash, created_by, created_at, expires_at, state, account_id, claimed_at, used_at, cancelled_at";
InvitationRecord readInvitation(const Statement& s) {
  return InvitationRecord{s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4), s.integer(5), s.text(6),
                          s.optionalText(7), s.optionalInteger(8), s.optionalInteger(9), s.optionalInteger(10)};
}
}  // namespace

HomeCounts SqliteStore::homeCounts(int64_t now, const std::string& today, const std::string& observedSince,
                                   int64_t seenSince) {
  auto reader = reading();
  HomeCounts h;
  const SqlFilter params{"", {}, {{":now", now}, {":today", today}, {":seen", seenSince}}};
  const auto count = [&](const char* sql) {
    auto s = reader.db.prepare(sql);
    bindFilter(s, params);  // each count uses the parameters it names
    s.step();
    return static_cast<int>(s.integer(0));
  };
  h.entriesAwaitingReview = count(
      "SELECT count(*) FROM entries WHERE status = 'journal' AND reviewed_at IS NULL AND kind <> 'home'");
  h.contributionsWaiting = count("SELECT count(*) FROM entries WHERE kind = 'home' AND status = 'pending'");
  h.childrenWithoutConsent = count(
      "SELECT count(*) FROM children c WHERE (c.left_on IS NULL OR c.left_on > :today)"
      " AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.child_id = c.id)");
  h.childrenWithoutParent = count(
      "SELECT count(*) FROM children c WHERE (c.left_on IS NULL OR c.left_on > :today)"
      " AND NOT EXISTS (SELECT 1 FROM child_carers x WHERE x.child_id = c.id)"
      " AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.child_id = c.id AND i.state IN ('open', 'waiting') AND i.expires_at > :now)");
  h.accountCodesUnused = count("SELECT count(*) FROM password_resets WHERE expires_at > :now");
  h.accountCodesExpired = count("SELECT count(*) FROM password_resets WHERE expires_at <= :now");
  h.staffWithoutPin = count(
      "SELECT count(*) FROM users WHERE active = 1 AND role IN ('staff', 'manager') AND pin_hash IS NULL");
  h.tabletsNotSeen = count(
      "SELECT count(*) FROM devices WHERE state = 'active' AND COALESCE(last_seen_at, enrolled_at, 0) < :seen");
  auto s = reader.db.prepare(
      "SELECT c.key_person_id, COALESCE(u.display_name, ''), count(*) FROM children c LEFT JOIN users u ON u.id = c.key_person_id"
      " WHERE (c.left_on IS NULL OR c.left_on > ?1) AND NOT EXISTS (SELECT 1 FROM entry_children ec JOIN entries e"
      " ON e.id = ec.entry_id WHERE ec.child_id = c.id AND e.kind <> 'home' AND e.observed_on >= ?2)"
      " GROUP BY c.key_person_id ORDER BY COALESCE(u.display_name, '~')");
  s.bind(1, today).bind(2, observedSince);
  while (s.step()) h.notObserved.push_back({s.optionalText(0), s.text(1), static_cast<int>(s.integer(2))});
  auto r = reader.db.prepare(
      "SELECT p.room_id, r.name, p.at FROM room_release_points p JOIN rooms r ON r.id = p.room_id"
      " WHERE p.at > ?1 ORDER BY p.at LIMIT 1");
  r.bind(1, now);
  if (r.step()) h.nextRelease = HomeCounts::Release{r.text(0), r.text(1), r.integer(2)};
  return h;
}

void SqliteStore::insertInvitation(const InvitationRecord& i) {
  Lock lock(mutex_);
  db_->prepare((std::string("INSERT INTO invitations (") + kInvitationColumns +
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)").c_str())
      .bind(1, i.id).bind(2, i.childId).bind(3, i.codeHash).bind(4, i.createdBy).bind(5, i.createdAt)
      .bind(6, i.expiresAt).bind(7, i.state).bind(8, i.accountId).bind(9, i.claimedAt).bind(10, i.usedAt)
      .bind(11, i.cancelledAt).run();
}

void SqliteStore::updateInvitation(const InvitationRecord& i) {
  Lock lock(mutex_);
  db_->prepare("UPDATE invitations SET state = ?2, account_id = ?3, claimed_at = ?4, used_at = ?5, cancelled_at = ?6 "
               "WHERE id = ?1")
      .bind(1, i.id).bind(2, i.state).bind(3, i.accountId).bind(4, i.claimedAt).bind(5, i.usedAt)
      .bind(6, i.cancelledAt).run();
}

std::vector<InvitationRecord> SqliteStore::invitationsWhere(const char* condition, const std::string& value) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kInvitationColumns + " FROM invitations WHERE " + condition +
                              " ORDER BY created_at DESC, id").c_str());
  s.bind(1, value);
  std::vector<InvitationRecord> out;
  while (s.step()) out.push_back(readInvitation(s));
  return out;
}

std::optional<InvitationRecord> SqliteStore::invitation(const std::string& id) {
  auto found = invitationsWhere("id = ?1", id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<InvitationRecord> SqliteStore::invitationByCode(const std::string& codeHash) {
  auto found = invitationsWhere("code_hash = ?1", codeHash);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<InvitationRecord> SqliteStore::invitationsOf(const std::string& childId) {
  return invitationsWhere("child_id = ?1", childId);
}

std::vector<InvitationRecord> SqliteStore::invitationsInState(const std::string& state) {
  auto found = invitationsWhere("state = ?1", state);
  std::reverse(found.begin(), found.end());  // a queue: the oldest first
  return found;
}

void SqliteStore::insertComment(const CommentRecord& c) {
  Lock lock(mutex_);
  Changes changes(*this, {c.childId});  // the family's cards count comments
  db_->prepare("INSERT INTO comments (id, entry_id, child_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(1, c.id).bind(2, c.entryId).bind(3, c.childId).bind(4, c.authorId).bind(5, c.body).bind(6, c.createdAt).run();
}

std::optional<CommentRecord> SqliteStore::comment(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kCommentColumns + " FROM comments WHERE id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return readComment(s);
}

std::vector<CommentRecord> SqliteStore::thread(const std::string& entryId, const std::string& childId) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kCommentColumns +
                         " FROM comments WHERE entry_id = ?1 AND child_id = ?2 ORDER BY created_at, id").c_str());
  s.bind(1, entryId).bind(2, childId);
  std::vector<CommentRecord> out;
  while (s.step()) out.push_back(readComment(s));
  return out;
}

void SqliteStore::hideComment(const std::string& id, const std::string& by, int64_t at, const std::string& reason) {
  Lock lock(mutex_);
  auto thread = db_->prepare("SELECT child_id FROM comments WHERE id = ?1");
  thread.bind(1, id);
  Changes changes(*this, thread.step() ? std::vector<std::string>{thread.text(0)} : std::vector<std::string>{});
  db_->prepare("UPDATE comments SET hidden_at = ?2, hidden_by = ?3, hidden_reason = ?4 WHERE id = ?1 AND hidden_at IS NULL")
      .bind(1, id).bind(2, at).bind(3, by).bind(4, reason).run();
}

}  // namespace nestbox::storage
