// The journal-export half of SqliteStore (see export_store.hpp).
#include "storage/sqlite_store.hpp"

namespace nestbox::storage {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

constexpr const char* kExportColumns =
    "id, requested_by, scope, room_id, state, step, done, total, bytes, created_at, finished_at, expires_at, "
    "downloaded_at, error_code, error_message";

ExportRecord readExport(const Statement& s) {
  ExportRecord r;
  r.id = s.text(0);
  r.requestedBy = s.text(1);
  r.scope = s.text(2);
  r.roomId = s.optionalText(3);
  r.state = s.text(4);
  r.step = s.text(5);
  r.done = s.integer(6);
  r.total = s.integer(7);
  r.bytes = s.optionalInteger(8);
  r.createdAt = s.integer(9);
  r.finishedAt = s.optionalInteger(10);
  r.expiresAt = s.optionalInteger(11);
  r.downloadedAt = s.optionalInteger(12);
  r.errorCode = s.text(13);
  r.errorMessage = s.text(14);
  return r;
}

}  // namespace

void SqliteStore::insertExport(const ExportRecord& r) {
  transaction([&] {
    Lock lock(mutex_);
    db_->prepare((std::string("INSERT INTO journal_exports (") + kExportColumns +
                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)").c_str())
        .bind(1, r.id).bind(2, r.requestedBy).bind(3, r.scope).bind(4, r.roomId).bind(5, r.state).bind(6, r.step)
        .bind(7, r.done).bind(8, r.total).bind(9, r.bytes).bind(10, r.createdAt).bind(11, r.finishedAt)
        .bind(12, r.expiresAt).bind(13, r.downloadedAt).bind(14, r.errorCode).bind(15, r.errorMessage).run();
    int position = 0;
    for (const auto& child : r.childIds) {
      db_->prepare("INSERT INTO journal_export_children (export_id, child_id, position) VALUES (?1, ?2, ?3)")
          .bind(1, r.id).bind(2, child).bind(3, position++).run();
    }
  });
}

void SqliteStore::updateExport(const ExportRecord& r) {
  Lock lock(mutex_);
  db_->prepare("UPDATE journal_exports SET state = ?2, step = ?3, done = ?4, total = ?5, bytes = ?6, finished_at = ?7, "
               "expires_at = ?8, downloaded_at = ?9, error_code = ?10, error_message = ?11 WHERE id = ?1")
      .bind(1, r.id).bind(2, r.state).bind(3, r.step).bind(4, r.done).bind(5, r.total).bind(6, r.bytes)
      .bind(7, r.finishedAt).bind(8, r.expiresAt).bind(9, r.downloadedAt).bind(10, r.errorCode)
      .bind(11, r.errorMessage).run();
}

namespace {

template <typename Reader>
std::vector<ExportRecord> withChildren(Reader& reader, Statement& s) {
  std::vector<ExportRecord> out;
  while (s.step()) out.push_back(readExport(s));
  for (auto& e : out) {
    auto c = reader.db.prepare("SELECT child_id FROM journal_export_children WHERE export_id = ?1 ORDER BY position");
    c.bind(1, e.id);
    while (c.step()) e.childIds.push_back(c.text(0));
  }
  return out;
}

}  // namespace

std::optional<ExportRecord> SqliteStore::exportById(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kExportColumns + " FROM journal_exports WHERE id = ?1").c_str());
  s.bind(1, id);
  auto found = withChildren(reader, s);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<ExportRecord> SqliteStore::exportsBy(const std::string& userId, int limit) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kExportColumns +
                              " FROM journal_exports WHERE requested_by = ?1 ORDER BY created_at DESC, rowid DESC LIMIT ?2").c_str());
  s.bind(1, userId).bind(2, limit);
  return withChildren(reader, s);
}

std::vector<ExportRecord> SqliteStore::exportsInState(const std::string& state) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kExportColumns +
                              " FROM journal_exports WHERE state = ?1 ORDER BY created_at, rowid").c_str());
  s.bind(1, state);
  return withChildren(reader, s);
}

std::vector<ExportRecord> SqliteStore::exportsOfChild(const std::string& childId) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kExportColumns +
                              " FROM journal_exports WHERE id IN (SELECT export_id FROM journal_export_children "
                              "WHERE child_id = ?1) ORDER BY created_at, rowid").c_str());
  s.bind(1, childId);
  return withChildren(reader, s);
}

bool SqliteStore::downloadedExportSince(const std::string& userId, const std::string& childId, int64_t since) {
  auto reader = reading();
  auto s = reader.db.prepare(
      "SELECT 1 FROM journal_exports e JOIN journal_export_children c ON c.export_id = e.id "
      "WHERE e.requested_by = ?1 AND c.child_id = ?2 AND e.downloaded_at >= ?3 LIMIT 1");
  s.bind(1, userId).bind(2, childId).bind(3, since);
  return s.step();
}

}  // namespace nestbox::storage
