// The erasure half of SqliteStore (see erasure_store.hpp).
#include <algorithm>
#include <set>

#include "core/json_input.hpp"
#include "storage/sqlite_store.hpp"

namespace nestbox::storage {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

std::vector<std::string> column(Statement&& s) {
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

// Media rows go with their files' hashes noted (the caller removes a file no row names).
void noteHashes(Database& db, const char* sql, const std::string& key, ErasureFiles& files) {
  auto s = db.prepare(sql);
  s.bind(1, key);
  while (s.step()) {
    if (auto h = s.optionalText(0)) files.hashes.push_back(*h);
    if (auto h = s.optionalText(1)) files.hashes.push_back(*h);
  }
}

// An earlier version's snapshot without the child: not in child_ids, not tagged in media.
std::string withoutChild(const std::string& snapshot, const std::string& childId) {
  Json j = Json::parse(snapshot, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return snapshot;
  if (j.contains("child_ids") && j["child_ids"].is_array()) {
    auto& ids = j["child_ids"];
    ids.erase(std::remove(ids.begin(), ids.end(), Json(childId)), ids.end());
  }
  if (j.contains("media") && j["media"].is_array()) {
    for (auto& m : j["media"]) {
      if (!m.contains("children") || !m["children"].is_array()) continue;
      auto& tags = m["children"];
      tags.erase(std::remove_if(tags.begin(), tags.end(),
                                [&](const Json& t) { return t.is_object() && t.value("child_id", "") == childId; }),
                 tags.end());
    }
  }
  return j.dump();
}

// Every string in `j` with each value replaced by its pseudonym; true when anything changed.
bool replaceIn(Json& j, const std::vector<std::pair<std::string, std::string>>& map) {
  bool changed = false;
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    for (const auto& [value, pseudonym] : map) {
      if (value.empty()) continue;
      for (std::size_t at = s.find(value); at != std::string::npos; at = s.find(value, at + pseudonym.size())) {
        s.replace(at, value.size(), pseudonym);
        changed = true;
      }
    }
    if (changed) j = s;
  } else if (j.is_array() || j.is_object()) {
    for (auto& item : j) changed = replaceIn(item, map) || changed;
  }
  return changed;
}

}  // namespace

void SqliteStore::eraseEntryRows(const std::string& entryId, ErasureFiles& files, ErasureCounts& counts) {
  noteHashes(*db_, "SELECT sha256, redacted_sha256 FROM media WHERE entry_id = ?1", entryId, files);
  db_->prepare("DELETE FROM media WHERE entry_id = ?1").bind(1, entryId).run();  // tags cascade
  counts.mediaRemoved += db_->changes();
  db_->prepare("DELETE FROM entry_audience WHERE entry_id = ?1").bind(1, entryId).run();
  // Children, links, versions, comments and reviews cascade.
  db_->prepare("DELETE FROM entries WHERE id = ?1").bind(1, entryId).run();
  counts.entriesRemoved += db_->changes();
}

std::vector<std::string> SqliteStore::deleteEntry(const std::string& entryId) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  ErasureFiles files;
  ErasureCounts counts;
  eraseEntryRows(entryId, files, counts);
  return files.hashes;
}

void SqliteStore::eraseAccountOnly(const std::string& userId, ErasureFiles& files, ErasureCounts& counts) {
  for (const auto& entry : column(std::move(db_->prepare("SELECT id FROM entries WHERE author_id = ?1").bind(1, userId)))) {
    eraseEntryRows(entry, files, counts);
  }
  noteHashes(*db_, "SELECT sha256, redacted_sha256 FROM media WHERE uploaded_by = ?1", userId, files);
  db_->prepare("DELETE FROM media WHERE uploaded_by = ?1").bind(1, userId).run();
  counts.mediaRemoved += db_->changes();
  db_->prepare("DELETE FROM comments WHERE author_id = ?1").bind(1, userId).run();
  db_->prepare("DELETE FROM entry_hearts WHERE user_id = ?1").bind(1, userId).run();
  db_->prepare("DELETE FROM feed_visits WHERE user_id = ?1").bind(1, userId).run();
  for (const auto& id :
       column(std::move(db_->prepare("SELECT id FROM journal_exports WHERE requested_by = ?1").bind(1, userId)))) {
    files.exportIds.push_back(id);
    db_->prepare("DELETE FROM journal_exports WHERE id = ?1").bind(1, id).run();
    ++counts.exportsRemoved;
  }
  db_->prepare("DELETE FROM invitations WHERE account_id = ?1").bind(1, userId).run();
  db_->prepare("UPDATE devices SET last_user_id = NULL WHERE last_user_id = ?1").bind(1, userId).run();
  db_->prepare("DELETE FROM auth_throttle WHERE key = 'account:' || (SELECT lower(username) FROM users WHERE id = ?1)")
      .bind(1, userId)
      .run();
  // Sessions, uploads, agreements, reset codes and erasure requests cascade.
  db_->prepare("DELETE FROM users WHERE id = ?1").bind(1, userId).run();
  counts.accountsErased += db_->changes();
}

ErasureCounts SqliteStore::eraseChildRows(const std::string& childId, const std::vector<std::string>& accountIds,
                                          ErasureFiles& files) {
  Lock lock(mutex_);
  Changes changes(*this);
  ErasureCounts counts;
  // Entries only about this child (room posts and newsletters belong to the room).
  const auto sole = column(std::move(
      db_->prepare("SELECT e.id FROM entries e JOIN entry_children ec ON ec.entry_id = e.id WHERE ec.child_id = ?1"
                   " AND e.kind NOT IN ('room_post', 'newsletter') AND NOT EXISTS (SELECT 1 FROM entry_children o"
                   " WHERE o.entry_id = e.id AND o.child_id <> ?1)")
          .bind(1, childId)));
  for (const auto& entry : sole) eraseEntryRows(entry, files, counts);
  const auto shared = column(std::move(
      db_->prepare("SELECT entry_id FROM entry_children WHERE child_id = ?1 UNION SELECT entry_id FROM entry_audience"
                   " WHERE child_id = ?1 UNION SELECT entry_id FROM comments WHERE child_id = ?1 UNION SELECT m.entry_id"
                   " FROM media m JOIN media_children mc ON mc.media_id = m.id WHERE mc.child_id = ?1"
                   " AND m.entry_id IS NOT NULL")
          .bind(1, childId)));
  // Media showing the child: gone when no other child is in it, else the anonymous marker.
  struct Tagged {
    std::string mediaId;
    bool obscured;
    std::string marker;
    int64_t others;
  };
  std::vector<Tagged> tagged;
  {
    auto s = db_->prepare(
        "SELECT m.id, mc.obscured, m.erased_child, (SELECT count(*) FROM media_children o WHERE o.media_id = m.id"
        " AND o.child_id <> ?1) FROM media m JOIN media_children mc ON mc.media_id = m.id WHERE mc.child_id = ?1");
    s.bind(1, childId);
    while (s.step()) tagged.push_back({s.text(0), s.integer(1) != 0, s.text(2), s.integer(3)});
  }
  for (const auto& t : tagged) {
    if (t.others == 0) {
      noteHashes(*db_, "SELECT sha256, redacted_sha256 FROM media WHERE id = ?1", t.mediaId, files);
      db_->prepare("DELETE FROM media WHERE id = ?1").bind(1, t.mediaId).run();
      ++counts.mediaRemoved;
      continue;
    }
    const std::string marker = t.obscured && t.marker != "shown" ? "obscured" : "shown";
    db_->prepare("UPDATE media SET erased_child = ?2 WHERE id = ?1").bind(1, t.mediaId).bind(2, marker).run();
    db_->prepare("DELETE FROM media_children WHERE media_id = ?1 AND child_id = ?2").bind(1, t.mediaId).bind(2, childId).run();
    ++counts.mediaMarked;
  }
  // Shared entries forget the child: receipt, tags, thread, and their earlier versions.
  for (const auto& entry : shared) {
    std::vector<std::pair<int64_t, std::string>> versions;
    {
      auto s = db_->prepare("SELECT version, snapshot FROM entry_versions WHERE entry_id = ?1");
      s.bind(1, entry);
      while (s.step()) versions.emplace_back(s.integer(0), s.text(1));
    }
    for (const auto& [version, snapshot] : versions) {
      const auto scrubbed = withoutChild(snapshot, childId);
      if (scrubbed == snapshot) continue;
      db_->prepare("UPDATE entry_versions SET snapshot = ?3 WHERE entry_id = ?1 AND version = ?2")
          .bind(1, entry).bind(2, version).bind(3, scrubbed).run();
    }
  }
  db_->prepare("DELETE FROM entry_children WHERE child_id = ?1").bind(1, childId).run();
  db_->prepare("DELETE FROM entry_audience WHERE child_id = ?1").bind(1, childId).run();
  db_->prepare("DELETE FROM comments WHERE child_id = ?1").bind(1, childId).run();
  db_->prepare("DELETE FROM entry_hearts WHERE child_id = ?1").bind(1, childId).run();
  // Everything else about the child.
  db_->prepare("UPDATE sessions SET child_view_child_id = NULL WHERE child_view_child_id = ?1").bind(1, childId).run();
  db_->prepare("DELETE FROM invitations WHERE child_id = ?1").bind(1, childId).run();
  for (const auto& id : column(std::move(
           db_->prepare("SELECT DISTINCT export_id FROM journal_export_children WHERE child_id = ?1").bind(1, childId)))) {
    files.exportIds.push_back(id);
    db_->prepare("DELETE FROM journal_exports WHERE id = ?1").bind(1, id).run();
    ++counts.exportsRemoved;
  }
  // Carers, consents and their history, and an erasure request cascade.
  db_->prepare("DELETE FROM children WHERE id = ?1").bind(1, childId).run();
  for (const auto& user : accountIds) eraseAccountOnly(user, files, counts);
  return counts;
}

ErasureCounts SqliteStore::eraseAccountRows(const std::string& userId, ErasureFiles& files) {
  Lock lock(mutex_);
  Changes changes(*this);
  ErasureCounts counts;
  eraseAccountOnly(userId, files, counts);
  return counts;
}

int SqliteStore::pseudonymiseAudit(const std::vector<std::pair<std::string, std::string>>& map) {
  Lock lock(mutex_);
  struct Row {
    int64_t seq;
    std::optional<std::string> actorId, actorName, targetId;
    std::string detail;
  };
  std::vector<Row> rows;
  std::set<int64_t> seen;
  for (const auto& [value, pseudonym] : map) {
    if (value.empty()) continue;
    auto s = db_->prepare(
        "SELECT seq, actor_id, actor_name, target_id, detail FROM audit_log WHERE actor_id = ?1 OR actor_name = ?1"
        " OR instr(target_id, ?1) > 0 OR instr(detail, ?1) > 0");  // a target may be a path naming it
    s.bind(1, value);
    while (s.step()) {
      if (!seen.insert(s.integer(0)).second) continue;
      rows.push_back({s.integer(0), s.optionalText(1), s.optionalText(2), s.optionalText(3), s.text(4)});
    }
  }
  const auto swap = [&](std::optional<std::string>& field) {
    if (!field) return;
    Json j = *field;
    if (replaceIn(j, map)) field = j.get<std::string>();
  };
  int changed = 0;
  db_->exec("INSERT INTO audit_pseudonymising (id) VALUES (1)");
  try {
    for (auto& r : rows) {
      swap(r.actorId);
      swap(r.actorName);
      swap(r.targetId);
      Json detail = Json::parse(r.detail, nullptr, false);
      if (detail.is_discarded()) detail = r.detail;  // not JSON: treated as one string
      replaceIn(detail, map);
      db_->prepare("UPDATE audit_log SET actor_id = ?2, actor_name = ?3, target_id = ?4, detail = ?5 WHERE seq = ?1")
          .bind(1, r.seq).bind(2, r.actorId).bind(3, r.actorName).bind(4, r.targetId).bind(5, detail.dump()).run();
      ++changed;
    }
  } catch (...) {
    db_->exec("DELETE FROM audit_pseudonymising");
    throw;
  }
  db_->exec("DELETE FROM audit_pseudonymising");
  return changed;
}

std::vector<std::pair<std::string, std::string>> SqliteStore::entriesContaining(const std::string& text) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "SELECT id, title || ' ' || body || ' ' || next_steps FROM entries"
      " WHERE instr(lower(title || ' ' || body || ' ' || next_steps), lower(?1)) > 0");
  s.bind(1, text);
  std::vector<std::pair<std::string, std::string>> out;
  while (s.step()) out.emplace_back(s.text(0), s.text(1));
  return out;
}

void SqliteStore::addReview(const std::string& entryId, const std::string& erasureId, int64_t at) {
  Lock lock(mutex_);
  db_->prepare("INSERT OR IGNORE INTO erasure_reviews (entry_id, erasure_id, created_at) VALUES (?1, ?2, ?3)")
      .bind(1, entryId).bind(2, erasureId).bind(3, at).run();
}

std::vector<ErasureReviewRecord> SqliteStore::reviews() {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT r.entry_id, e.title, e.observed_on, r.erasure_id, min(r.created_at) FROM erasure_reviews r"
      " JOIN entries e ON e.id = r.entry_id GROUP BY r.entry_id ORDER BY min(r.created_at), r.entry_id");
  std::vector<ErasureReviewRecord> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4)});
  return out;
}

bool SqliteStore::resolveReview(const std::string& entryId) {
  bool found = false;
  transaction([&] {
    db_->prepare("DELETE FROM erasure_reviews WHERE entry_id = ?1").bind(1, entryId).run();
    found = db_->changes() > 0;
    if (found) db_->prepare("DELETE FROM entry_versions WHERE entry_id = ?1").bind(1, entryId).run();
  });
  return found;
}

std::vector<ErasedMediaRecord> SqliteStore::mediaShowingErased() {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT m.id, m.entry_id, e.title FROM media m LEFT JOIN entries e ON e.id = m.entry_id"
      " WHERE m.erased_child = 'shown' ORDER BY m.created_at, m.id");
  std::vector<ErasedMediaRecord> out;
  while (s.step()) out.push_back({s.text(0), s.optionalText(1), s.optionalText(2)});
  return out;
}

void SqliteStore::addLedger(const LedgerRecord& r) {
  Lock lock(mutex_);
  db_->prepare("INSERT OR IGNORE INTO erasure_ledger (hash, kind, key_id, erased_at) VALUES (?1, ?2, ?3, ?4)")
      .bind(1, r.hash).bind(2, r.kind).bind(3, r.keyId).bind(4, r.erasedAt).run();
}

std::vector<LedgerRecord> SqliteStore::ledger() {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT hash, kind, key_id, erased_at FROM erasure_ledger ORDER BY erased_at, hash");
  std::vector<LedgerRecord> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.integer(3)});
  return out;
}

void SqliteStore::putLedgerKey(const std::string& keyId, const std::string& secret) {
  Lock lock(mutex_);
  db_->prepare("INSERT OR IGNORE INTO erasure_keys (key_id, secret) VALUES (?1, ?2)").bind(1, keyId).bind(2, secret).run();
}

std::vector<std::pair<std::string, std::string>> SqliteStore::ledgerKeys() {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT key_id, secret FROM erasure_keys ORDER BY rowid");
  std::vector<std::pair<std::string, std::string>> out;
  while (s.step()) out.emplace_back(s.text(0), s.text(1));
  return out;
}

void SqliteStore::putErasureRequest(const ErasureRequestRecord& r) {
  Lock lock(mutex_);
  try {
    db_->prepare("INSERT INTO erasure_requests (id, child_id, requested_by, requested_at, note) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(1, r.id).bind(2, r.childId).bind(3, r.requestedBy).bind(4, r.requestedAt).bind(5, r.note).run();
  } catch (const SqliteError& e) {
    if (e.code == SQLITE_CONSTRAINT_UNIQUE || e.code == SQLITE_CONSTRAINT_PRIMARYKEY) {
      throw DuplicateError("an erasure is already asked for this child");
    }
    throw;
  }
}

std::optional<ErasureRequestRecord> SqliteStore::erasureRequest(const std::string& childId) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT id, child_id, requested_by, requested_at, note FROM erasure_requests WHERE child_id = ?1");
  s.bind(1, childId);
  if (!s.step()) return std::nullopt;
  return ErasureRequestRecord{s.text(0), s.text(1), s.text(2), s.integer(3), s.text(4)};
}

std::vector<ErasureRequestRecord> SqliteStore::erasureRequests() {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT id, child_id, requested_by, requested_at, note FROM erasure_requests ORDER BY requested_at, id");
  std::vector<ErasureRequestRecord> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.integer(3), s.text(4)});
  return out;
}

void SqliteStore::deleteErasureRequest(const std::string& childId) {
  Lock lock(mutex_);
  db_->prepare("DELETE FROM erasure_requests WHERE child_id = ?1").bind(1, childId).run();
}

void SqliteStore::markArchived(const std::string& childId, int64_t at) {
  Lock lock(mutex_);
  Changes changes(*this);
  db_->prepare("UPDATE children SET archived_at = ?2 WHERE id = ?1 AND archived_at IS NULL").bind(1, childId).bind(2, at).run();
}

void SqliteStore::compact() {
  Lock lock(mutex_);
  if (transactionDepth_ > 0) return;  // never inside a transaction: the caller's commit comes first
  db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db_->exec("VACUUM");
  db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

}  // namespace nestbox::storage
