#pragma once
// Sign-in and server-side sessions (ASVS V3). The cookie carries a 256-bit random token;
// the database keeps only its SHA-256, plus a public handle the user sees in "my sessions".
// Sessions end on sign-out, after the role's idle time or absolute lifetime (setting), and
// when the account is deactivated or its password changes.

#include <optional>
#include <string>
#include <vector>

#include "domain/context.hpp"
#include "domain/settings.hpp"
#include "storage/records.hpp"

namespace nestbox::domain {

struct SignInResult {
  std::string token;  // goes into the cookie, nowhere else
  Principal principal;
  int64_t idleExpiresAt = 0;
  int64_t absoluteExpiresAt = 0;
};

enum class SessionRejection { none, missing, unknown, ended, idleExpired, absoluteExpired, inactive };

struct Authentication {
  std::optional<Principal> principal;
  SessionRejection rejection = SessionRejection::missing;
};

struct SessionView {
  storage::SessionRecord record;
  bool current = false;
  int64_t idleExpiresAt = 0;
  int64_t absoluteExpiresAt = 0;
};

class SessionService {
 public:
  SessionService(Context& ctx, SettingsService& settings) : ctx_(ctx), settings_(settings) {}

  // Throws DomainError: unauthenticated (wrong details), throttled (locked), forbidden (deactivated).
  SignInResult signIn(const std::string& username, const std::string& password, const RequestOrigin& origin);
  Authentication authenticate(const std::string& token, const RequestOrigin& origin);
  void signOut(const Principal& principal);

  std::vector<SessionView> listOwn(const Principal& principal);
  void endOwn(const Principal& principal, const std::string& sessionId);

  // Seconds of idleness after which the bumped last-seen time is written back; finer
  // granularity would cost a database write on every request.
  static constexpr int64_t kTouchGranularity = 15;

 private:
  int64_t idleLimit(Role role) { return int64_t{60} * settings_.idleMinutesFor(role); }
  int64_t absoluteLimit(Role role) { return int64_t{3600} * settings_.absoluteHoursFor(role); }

  Context& ctx_;
  SettingsService& settings_;
};

}  // namespace nestbox::domain
