#pragma once
// Store on one SQLite connection (WAL mode, foreign keys on), guarded by a mutex.

#include <memory>
#include <mutex>
#include <string>

#include "storage/sqlite.hpp"
#include "storage/store.hpp"

namespace nestbox::storage {

class SqliteStore final : public Store {
 public:
  // Opens the database and applies pending migrations. ":memory:" works for tests.
  explicit SqliteStore(const std::string& path);
  ~SqliteStore() override;

  void transaction(const std::function<void()>& work) override;

  std::optional<std::string> boxValue(const std::string& key) override;
  void setBoxValue(const std::string& key, const std::string& value) override;
  void deleteBoxValue(const std::string& key) override;

  std::optional<SettingRecord> setting() override;
  void saveSetting(const SettingRecord& setting) override;

  void insertUser(const UserRecord& user) override;
  void updateUser(const UserRecord& user) override;
  std::optional<UserRecord> userById(const std::string& id) override;
  std::optional<UserRecord> userByUsername(const std::string& username) override;
  std::vector<UserRecord> users(const UserQuery& query) override;

  void putPasswordReset(const PasswordResetRecord& reset) override;
  std::optional<PasswordResetRecord> passwordReset(const std::string& userId) override;
  void deletePasswordReset(const std::string& userId) override;

  void insertSession(const SessionRecord& session) override;
  std::optional<SessionRecord> sessionByTokenHash(const std::string& tokenHash) override;
  std::optional<SessionRecord> sessionById(const std::string& id) override;
  void touchSession(const std::string& id, int64_t lastSeenAt) override;
  void endSession(const std::string& id, int64_t at, const std::string& reason) override;
  int endUserSessions(const std::string& userId, int64_t at, const std::string& reason,
                      const std::optional<std::string>& keepId) override;
  std::vector<SessionRecord> openSessions(const std::string& userId) override;

  std::optional<ThrottleRecord> throttle(const std::string& key) override;
  void putThrottle(const ThrottleRecord& record) override;
  void clearThrottle(const std::string& key) override;

  int64_t appendAudit(const AuditRecord& record) override;
  std::vector<AuditRecord> audit(const AuditQuery& query) override;

  int appliedMigrations() const { return appliedMigrations_; }

 private:
  std::recursive_mutex mutex_;
  std::unique_ptr<Database> db_;
  int transactionDepth_ = 0;
  int appliedMigrations_ = 0;
};

}  // namespace nestbox::storage
