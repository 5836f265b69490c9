#pragma once
// Accounts: managers create, edit, deactivate and reactivate them and issue one-time codes
// with which a person sets their own password (a manager never learns it). Everyone changes
// their own password; managers and staff have a PIN for the shared-tablet switch.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/context.hpp"
#include "domain/settings.hpp"
#include "storage/records.hpp"

namespace nestbox::domain {

struct NewAccount {
  std::string username;
  std::string displayName;
  std::optional<std::string> email;
  Role role = Role::parent;
};

struct AccountChange {
  std::optional<std::string> username;
  std::optional<std::string> displayName;
  std::optional<std::string> email;  // "" clears it
  std::optional<Role> role;
};

struct OneTimeCode {
  std::string code;  // shown once, to the manager, to pass on in person
  int64_t expiresAt;
};

constexpr int64_t kOneTimeCodeLifetime = 72 * 3600;

// Field checks shared with setup; each returns a message or nothing.
std::optional<std::string> checkUsername(const std::string& username);
std::optional<std::string> checkDisplayName(const std::string& name);
std::optional<std::string> checkEmail(const std::string& email);

class AccountService {
 public:
  AccountService(Context& ctx, SettingsService& settings) : ctx_(ctx), settings_(settings) {}

  // The managers' to-do (issue 32), as the home counts them: active staff and managers
  // without a PIN; accounts whose one-time code is unused and valid, or expired unused.
  enum class Needs { any, pin, codeUnused, codeExpired };

  std::vector<storage::UserRecord> list(const Principal& actor, const storage::UserQuery& query, Needs needs = Needs::any);
  storage::UserRecord get(const Principal& actor, const std::string& userId);

  // Creates the account without a usable password and returns the code to set one.
  std::pair<storage::UserRecord, OneTimeCode> create(const Principal& actor, const NewAccount& account);
  // A parent's own account, made when they redeem a setting's invitation (no manager in the
  // room, issue 16): the same username, name, email and password rules as any account. Joins
  // the caller's transaction. Throws conflict username_taken.
  storage::UserRecord createInvitedParent(const NewAccount& account, const std::string& password,
                                          const RequestOrigin& origin);
  storage::UserRecord update(const Principal& actor, const std::string& userId, const AccountChange& change);
  storage::UserRecord deactivate(const Principal& actor, const std::string& userId);
  storage::UserRecord reactivate(const Principal& actor, const std::string& userId);
  OneTimeCode issueReset(const Principal& actor, const std::string& userId);
  void setPinFor(const Principal& actor, const std::string& userId, const std::string& pin);

  // Not signed in: sets a password with a one-time code; ends every session of the account.
  void redeemCode(const std::string& username, const std::string& code, const std::string& newPassword,
                  const RequestOrigin& origin);
  // Signed in: ends the user's other sessions.
  void changePassword(const Principal& actor, const std::string& currentPassword,
                      const std::string& newPassword);
  void setOwnPin(const Principal& actor, const std::string& password, const std::string& pin);

  // The name to show beside something a person wrote; empty for an unknown id.
  std::string displayName(const std::string& userId);

  // Validates and hashes a new password for `user` (throws DomainError on the "password" field).
  std::string hashNewPassword(const storage::UserRecord& user, const std::string& password,
                              const std::string& field = "password");

 private:
  storage::UserRecord requireUser(const std::string& userId);
  // A new account's record, its username, name and email checked (no password yet).
  storage::UserRecord newUser(const NewAccount& account);
  // Inserts it with `alsoInTransaction` in the same transaction; a taken username is a conflict.
  void insertNew(const storage::UserRecord& user, const std::function<void()>& alsoInTransaction);
  void requireManager(const Principal& actor);
  int activeManagers();
  OneTimeCode storeCode(const Principal& actor, const std::string& userId);
  void storePin(const Principal& actor, storage::UserRecord user, const std::string& pin);

  Context& ctx_;
  SettingsService& settings_;
};

}  // namespace nestbox::domain
