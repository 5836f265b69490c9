// The engagement half of SqliteStore (see engagement_store.hpp): hearts, visits, comment
// counts, recently tagged children, entry templates.
#include <nlohmann/json.hpp>

#include "storage/sqlite_store.hpp"

namespace nestbox::storage {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;
using Json = nlohmann::json;

// Hearts from a statement with one bound value (?1).
std::vector<HeartRecord> readHearts(Statement s, const std::string& value) {
  s.bind(1, value);
  std::vector<HeartRecord> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.integer(3)});
  return out;
}

constexpr const char* kTemplateColumns = "id, name, kind, title, body, next_steps, aspect_ids, updated_at, updated_by";

TemplateRecord readTemplate(const Statement& s) {
  TemplateRecord t;
  t.id = s.text(0);
  t.name = s.text(1);
  t.kind = s.text(2);
  t.title = s.text(3);
  t.body = s.text(4);
  t.nextSteps = s.text(5);
  const auto aspects = Json::parse(s.text(6), nullptr, false);
  if (aspects.is_array()) {
    for (const auto& a : aspects) {
      if (a.is_string()) t.aspectIds.push_back(a.get<std::string>());
    }
  }
  t.updatedAt = s.integer(7);
  t.updatedBy = s.optionalText(8);
  return t;
}

std::string jsonArray(const std::vector<std::string>& values) {
  return Json(values).dump();
}

}  // namespace

void SqliteStore::putHeart(const HeartRecord& h) {
  Lock lock(mutex_);
  Changes changes(*this, {h.childId});
  db_->prepare("INSERT INTO entry_hearts (entry_id, child_id, user_id, created_at) VALUES (?1, ?2, ?3, ?4) "
               "ON CONFLICT DO NOTHING")
      .bind(1, h.entryId).bind(2, h.childId).bind(3, h.userId).bind(4, h.createdAt).run();
}

void SqliteStore::deleteHeart(const std::string& entryId, const std::string& childId, const std::string& userId) {
  Lock lock(mutex_);
  Changes changes(*this, {childId});
  db_->prepare("DELETE FROM entry_hearts WHERE entry_id = ?1 AND child_id = ?2 AND user_id = ?3")
      .bind(1, entryId).bind(2, childId).bind(3, userId).run();
}

std::vector<HeartRecord> SqliteStore::heartsOn(const std::string& entryId) {
  auto reader = reading();
  return readHearts(reader.db.prepare("SELECT entry_id, child_id, user_id, created_at FROM entry_hearts "
                                      "WHERE entry_id = ?1 ORDER BY created_at DESC, child_id, user_id"), entryId);
}

std::map<std::string, std::vector<std::string>> SqliteStore::heartsBy(const std::string& userId,
                                                                     const std::vector<std::string>& entryIds) {
  std::map<std::string, std::vector<std::string>> out;
  if (entryIds.empty()) return out;
  auto reader = reading();
  auto s = reader.db.prepare("SELECT entry_id, child_id FROM entry_hearts WHERE user_id = ?1 "
                             "AND entry_id IN (SELECT value FROM json_each(?2)) ORDER BY entry_id, child_id");
  s.bind(1, userId).bind(2, jsonArray(entryIds));
  while (s.step()) out[s.text(0)].push_back(s.text(1));
  return out;
}

std::vector<HeartRecord> SqliteStore::heartsOfChild(const std::string& childId) {
  auto reader = reading();
  return readHearts(reader.db.prepare("SELECT entry_id, child_id, user_id, created_at FROM entry_hearts "
                                      "WHERE child_id = ?1 ORDER BY created_at, entry_id, user_id"), childId);
}

std::map<std::string, int> SqliteStore::commentCounts(const std::vector<std::string>& entryIds,
                                                      const std::vector<std::string>& childIds) {
  std::map<std::string, int> out;
  if (entryIds.empty() || childIds.empty()) return out;
  auto reader = reading();
  auto s = reader.db.prepare("SELECT entry_id, count(*) FROM comments WHERE hidden_at IS NULL "
                             "AND entry_id IN (SELECT value FROM json_each(?1)) "
                             "AND child_id IN (SELECT value FROM json_each(?2)) GROUP BY entry_id");
  s.bind(1, jsonArray(entryIds)).bind(2, jsonArray(childIds));
  while (s.step()) out[s.text(0)] = static_cast<int>(s.integer(1));
  return out;
}

std::optional<int64_t> SqliteStore::recordVisit(const std::string& userId, int64_t now, int64_t gap) {
  std::optional<int64_t> previous;
  transaction([&] {
    Lock lock(mutex_);
    auto s = db_->prepare("SELECT visited_at, previous_at FROM feed_visits WHERE user_id = ?1");
    s.bind(1, userId);
    std::optional<int64_t> last;
    if (s.step()) {
      last = s.integer(0);
      previous = s.optionalInteger(1);
    }
    // A new visit when the last one is more than `gap` ago (or there was none): what was
    // "last" becomes "previous". Within the gap the same visit goes on.
    if (!last || now - *last > gap) previous = last;
    db_->prepare("INSERT INTO feed_visits (user_id, visited_at, previous_at) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT (user_id) DO UPDATE SET visited_at = excluded.visited_at, previous_at = excluded.previous_at")
        .bind(1, userId).bind(2, now).bind(3, previous).run();
  });
  return previous;
}

std::vector<std::string> SqliteStore::recentlyTagged(const std::string& authorId, int64_t since, int limit) {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT ec.child_id, max(e.created_at) AS last FROM entries e JOIN entry_children ec ON ec.entry_id = e.id "
      "WHERE e.author_id = ?1 AND e.created_at >= ?2 GROUP BY ec.child_id ORDER BY last DESC, ec.child_id LIMIT ?3");
  s.bind(1, authorId).bind(2, since).bind(3, limit);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<TemplateRecord> SqliteStore::templates() {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kTemplateColumns + " FROM entry_templates ORDER BY name, id").c_str());
  std::vector<TemplateRecord> out;
  while (s.step()) out.push_back(readTemplate(s));
  return out;
}

std::optional<TemplateRecord> SqliteStore::entryTemplate(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kTemplateColumns + " FROM entry_templates WHERE id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return readTemplate(s);
}

void SqliteStore::insertTemplate(const TemplateRecord& t) {
  writeTemplate((std::string("INSERT INTO entry_templates (") + kTemplateColumns +
                 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)").c_str(), t);
}

void SqliteStore::updateTemplate(const TemplateRecord& t) {
  writeTemplate("UPDATE entry_templates SET name = ?2, kind = ?3, title = ?4, body = ?5, next_steps = ?6, "
                "aspect_ids = ?7, updated_at = ?8, updated_by = ?9 WHERE id = ?1", t);
}

// One statement over the template's columns in kTemplateColumns order (?1..?9).
void SqliteStore::writeTemplate(const char* sql, const TemplateRecord& t) {
  Lock lock(mutex_);
  auto s = db_->prepare(sql);
  s.bind(1, t.id).bind(2, t.name).bind(3, t.kind).bind(4, t.title).bind(5, t.body).bind(6, t.nextSteps)
      .bind(7, jsonArray(t.aspectIds)).bind(8, t.updatedAt).bind(9, t.updatedBy);
  try {
    s.run();
  } catch (const SqliteError& e) {
    if (e.code == SQLITE_CONSTRAINT_UNIQUE) throw DuplicateError("template name already taken");
    throw;
  }
}

bool SqliteStore::deleteTemplate(const std::string& id) {
  Lock lock(mutex_);
  db_->prepare("DELETE FROM entry_templates WHERE id = ?1").bind(1, id).run();
  return db_->changes() > 0;
}

}  // namespace nestbox::storage
