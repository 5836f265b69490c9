#pragma once
// Thin RAII wrapper over the SQLite C API. Only bound parameters reach SQL: there is no
// function here that splices a value into statement text.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace nestbox::storage {

struct SqliteError : std::runtime_error {
  SqliteError(const std::string& what, int code) : std::runtime_error(what), code(code) {}
  int code;
  bool isConstraint() const { return (code & 0xff) == SQLITE_CONSTRAINT; }
};

class Statement;

class Database {
 public:
  // writer: opens (creating if needed) the file with WAL journaling, synchronous=FULL,
  // foreign keys on and a busy timeout. reader: an existing database, for queries only.
  // copier: an existing database opened read-only, which may still write a copy of itself
  // elsewhere (VACUUM INTO; query_only would refuse that).
  enum class Role { writer, reader, copier };
  explicit Database(const std::string& path, Role role = Role::writer);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql);  // for fixed statements without parameters only
  // Prepared statements are cached per SQL text: the Statement borrows the cached one and
  // resets it when it goes out of scope. A second use of the same text while the first is
  // still alive gets a fresh statement of its own.
  Statement prepare(const char* sql);
  int64_t lastInsertRowId() const;
  int changes() const;
  sqlite3* handle() const { return db_; }

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool inUse = false;
  };
  std::unordered_map<std::string, CachedStatement> cache_;
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(sqlite3* db, const char* sql);
  // Borrows a cached statement; `inUse` is cleared when this Statement is destroyed.
  Statement(sqlite3* db, sqlite3_stmt* cached, bool* inUse);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const char* value);
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<int64_t>& value);
  Statement& bind(int index, std::nullptr_t);

  // The number of a named parameter (":name"); throws if the statement has none by that name.
  int parameterIndex(const char* name) const;
  // The same, or 0 when the statement does not use that name.
  int optionalParameterIndex(const char* name) const;

  // Returns true while there is a row to read; throws on error.
  bool step();
  // Runs a statement that returns no rows.
  void run();

  std::string text(int column) const;
  std::optional<std::string> optionalText(int column) const;
  std::optional<int64_t> optionalInteger(int column) const;
  int64_t integer(int column) const;
  bool isNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool* borrowedFlag_ = nullptr;  // set when the statement belongs to the Database's cache
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if the scope is left by an exception.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace nestbox::storage
