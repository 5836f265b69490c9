#include "storage/sqlite.hpp"

namespace nestbox::storage {
namespace {
[[noreturn]] void throwError(sqlite3* db, int rc, const std::string& context) {
  throw SqliteError(context + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
                    db ? sqlite3_extended_errcode(db) : rc);
}
}  // namespace

Database::Database(const std::string& path, Role role) {
  const int flags = role == Role::writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                    : role == Role::copier ? SQLITE_OPEN_READONLY
                                           : SQLITE_OPEN_READWRITE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError("cannot open database " + path + ": " + message, rc);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  if (role == Role::copier) return;
  if (role == Role::reader) {
    // WAL readers see the last commit and never block the writer; this one cannot write.
    exec("PRAGMA query_only=ON");
    // One reader per server thread: a small page cache each (the kernel's caches the file),
    // so that many threads do not add up to much memory.
    exec("PRAGMA cache_size=-1024");
    return;
  }
  exec("PRAGMA journal_mode=WAL");
  // FULL: a commit is on stable storage before we acknowledge it (power cut safety).
  exec("PRAGMA synchronous=FULL");
  exec("PRAGMA foreign_keys=ON");
  // Deleted rows are overwritten, not left in free pages: an erased child is gone from the
  // file itself (issue 21).
  exec("PRAGMA secure_delete=ON");
}

Database::~Database() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  if (db_) sqlite3_close_v2(db_);
}

void Database::exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw SqliteError(message, sqlite3_extended_errcode(db_));
  }
}

Statement Database::prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) throwError(db_, rc, "prepare");
    it = cache_.emplace(sql, CachedStatement{stmt, false}).first;
  }
  if (it->second.inUse) return Statement(db_, sql);
  it->second.inUse = true;
  return Statement(db_, it->second.stmt, &it->second.inUse);
}
int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Statement::Statement(sqlite3* db, const char* sql) : db_(db) {
  const int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  if (rc != SQLITE_OK) throwError(db, rc, "prepare");
}

Statement::Statement(sqlite3* db, sqlite3_stmt* cached, bool* inUse) : db_(db), stmt_(cached), borrowedFlag_(inUse) {}

Statement::~Statement() {
  if (!stmt_) return;
  if (borrowedFlag_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *borrowedFlag_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), borrowedFlag_(other.borrowedFlag_) {
  other.stmt_ = nullptr;
  other.borrowedFlag_ = nullptr;
}

Statement& Statement::bind(int index, const std::string& value) {
  const int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                   SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throwError(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, const char* value) { return bind(index, std::string(value)); }

Statement& Statement::bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throwError(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  if (value) return bind(index, *value);
  return bind(index, nullptr);
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value) {
  if (value) return bind(index, *value);
  return bind(index, nullptr);
}

Statement& Statement::bind(int index, std::nullptr_t) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throwError(db_, rc, "bind");
  return *this;
}

int Statement::optionalParameterIndex(const char* name) const { return sqlite3_bind_parameter_index(stmt_, name); }

int Statement::parameterIndex(const char* name) const {
  const int index = sqlite3_bind_parameter_index(stmt_, name);
  if (index == 0) throw SqliteError(std::string("no SQL parameter ") + name, SQLITE_RANGE);
  return index;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throwError(db_, rc, "step");
}

void Statement::run() {
  while (step()) {
  }
}

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optionalText(int column) const {
  if (isNull(column)) return std::nullopt;
  return text(column);
}

std::optional<int64_t> Statement::optionalInteger(int column) const {
  if (isNull(column)) return std::nullopt;
  return integer(column);
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
bool Statement::isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {  // a failed rollback leaves SQLite to roll back on close; nothing more to do
    }
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace nestbox::storage
