#pragma once
// The storage contract the domain layer is written against. One implementation talks to
// SQLite; tests use it on a temporary file or in memory.
//
// Thread safety: every method may be called from any thread. `transaction` runs `work`
// atomically: all of its calls commit together or not at all, and other threads' calls
// wait until it finishes, so never do slow work (password hashing) inside one.

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/records.hpp"

namespace nestbox::storage {

class Store {
 public:
  virtual ~Store() = default;

  virtual void transaction(const std::function<void()>& work) = 0;

  // Small named values that belong to the box itself (box id, setup code hash, ...).
  virtual std::optional<std::string> boxValue(const std::string& key) = 0;
  virtual void setBoxValue(const std::string& key, const std::string& value) = 0;
  virtual void deleteBoxValue(const std::string& key) = 0;

  virtual std::optional<SettingRecord> setting() = 0;
  virtual void saveSetting(const SettingRecord& setting) = 0;

  virtual void insertUser(const UserRecord& user) = 0;  // throws DuplicateError on a taken username
  virtual void updateUser(const UserRecord& user) = 0;
  virtual std::optional<UserRecord> userById(const std::string& id) = 0;
  virtual std::optional<UserRecord> userByUsername(const std::string& username) = 0;
  virtual std::vector<UserRecord> users(const UserQuery& query) = 0;

  virtual void putPasswordReset(const PasswordResetRecord& reset) = 0;
  virtual std::optional<PasswordResetRecord> passwordReset(const std::string& userId) = 0;
  virtual void deletePasswordReset(const std::string& userId) = 0;

  virtual void insertSession(const SessionRecord& session) = 0;
  // The session with this token digest, and its user, in one read (the per-request path).
  virtual std::optional<std::pair<SessionRecord, UserRecord>> sessionWithUser(const std::string& tokenHash) = 0;
  virtual std::optional<SessionRecord> sessionById(const std::string& id) = 0;
  virtual void touchSession(const std::string& id, int64_t lastSeenAt) = 0;
  // Records that the session's device signed a fresh challenge at `at`.
  virtual void proveSessionDevice(const std::string& id, int64_t at) = 0;
  // Puts the session into one child's view, or (nullopt) back to the signed-in user's.
  virtual void setSessionChildView(const std::string& id, const std::optional<std::string>& childId) = 0;
  virtual void endSession(const std::string& id, int64_t at, const std::string& reason) = 0;
  // Ends every open session of the user except `keepId` (if given); returns how many.
  virtual int endUserSessions(const std::string& userId, int64_t at, const std::string& reason,
                              const std::optional<std::string>& keepId) = 0;
  virtual std::vector<SessionRecord> openSessions(const std::string& userId) = 0;
  // Remembered phones (issue 32). Replaces the session's token digest, keeping the old one so
  // a later use of it is recognised as a copied token; clears the open challenge.
  virtual void rotateSessionToken(const std::string& id, const std::string& oldHash, const std::string& newHash,
                                  int64_t at) = 0;
  // The session an old (replaced) token belonged to, and when it was replaced.
  virtual std::optional<std::pair<SessionRecord, int64_t>> sessionOfOldToken(const std::string& tokenHash) = 0;
  virtual void setSessionChallenge(const std::string& id, const std::optional<std::string>& challengeHash) = 0;
  // The person gave their password again in this session at `at`.
  virtual void confirmSessionPassword(const std::string& id, int64_t at) = 0;

  virtual std::optional<ThrottleRecord> throttle(const std::string& key) = 0;
  virtual void putThrottle(const ThrottleRecord& record) = 0;
  virtual void clearThrottle(const std::string& key) = 0;

  // Housekeeping (the periodic jobs, domain/jobs.hpp); each returns how many rows went.
  // Sessions that ended before `endedBefore`, and open ones not seen since `seenBefore`.
  virtual int purgeSessions(int64_t endedBefore, int64_t seenBefore) = 0;
  // Device enrolment codes and device challenges past their time; password-reset codes a
  // month after (the managers' home shows codes that ran out unused).
  virtual int purgeExpiredCodes(int64_t now) = 0;

  virtual int64_t appendAudit(const AuditRecord& record) = 0;
  virtual std::vector<AuditRecord> audit(const AuditQuery& query) = 0;
  // How many audit entries of `event` fall in [since, until).
  virtual int64_t countAudit(const std::string& event, int64_t since, int64_t until) = 0;
};

struct DuplicateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace nestbox::storage
