#include "domain/sessions.hpp"

#include <algorithm>
#include <cctype>

#include "core/log.hpp"
#include "domain/errors.hpp"
#include "security/tokens.hpp"

namespace nestbox::domain {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

DomainError lockedError(int64_t seconds) {
  const int64_t minutes = (seconds + 59) / 60;
  return DomainError(ErrorKind::throttled, "locked",
                     "Too many failed sign-ins. Try again in " + std::to_string(minutes) +
                         (minutes == 1 ? " minute" : " minutes") + ", or ask a manager to reset your password.",
                     "", seconds);
}

}  // namespace

SignInResult SessionService::signIn(const std::string& username, const std::string& password,
                                    const RequestOrigin& origin) {
  const int64_t now = ctx_.clock.now();
  const std::string accountKey = "account:" + lower(username);
  const std::string addressKey = "address:" + origin.address;
  if (auto wait = ctx_.throttle.lockedFor(addressKey, now)) throw lockedError(*wait);
  if (auto wait = ctx_.throttle.lockedFor(accountKey, now)) {
    ctx_.audit.record(Event::SignInFailed, AuditActor::anonymous(origin), std::nullopt, {{"reason", "locked"}});
    throw lockedError(*wait);
  }

  const auto user = ctx_.store.userByUsername(username);
  bool ok = false;
  if (user) {
    ok = ctx_.hasher.verify(user->passwordHash, password);
  } else {
    ctx_.hasher.verifyDummy(password);  // same cost either way: no username enumeration by timing
  }

  if (!ok) {
    AuditActor actor = AuditActor::anonymous(origin);
    // What was typed as a username is recorded only if it is a real one: people type
    // passwords into the username field, and the audit log must not collect them.
    if (user) actor.userId = user->id, actor.username = user->username;
    const bool accountLocked = ctx_.throttle.recordFailure(accountKey, kAccountThrottle, now);
    const bool addressLocked = ctx_.throttle.recordFailure(addressKey, kAddressThrottle, now);
    ctx_.audit.record(Event::SignInFailed, actor, std::nullopt,
                      {{"reason", user ? "wrong_password" : "unknown_user"}});
    if (accountLocked) {
      ctx_.audit.record(Event::AccountLockedOut, actor,
                        user ? std::optional<AuditTarget>(AuditTarget{"user", user->id}) : std::nullopt,
                        {{"minutes", kAccountThrottle.lockSeconds / 60}});
    }
    if (addressLocked) {
      ctx_.audit.record(Event::AddressThrottled, actor, std::nullopt,
                        {{"minutes", kAddressThrottle.lockSeconds / 60}});
    }
    throw DomainError(ErrorKind::unauthenticated, "invalid_credentials",
                      "The username or password is not right. Check them and try again.");
  }
  if (!user->active) {
    ctx_.audit.record(Event::SignInFailed, {user->id, user->username, origin.address, {}}, std::nullopt,
                      {{"reason", "deactivated"}});
    throw DomainError(ErrorKind::forbidden, "account_deactivated",
                      "This account has been deactivated. Ask a manager if you need access again.");
  }

  const Role role = roleFromName(user->role).value_or(Role::parent);
  storage::UserRecord updated = *user;
  const int maxAgeDays = settings_.passwordMaxAgeDays();
  if (maxAgeDays > 0 && now - user->passwordChangedAt > int64_t{maxAgeDays} * 86400) {
    updated.mustChangePassword = true;
  }
  const bool rehash = ctx_.hasher.needsRehash(user->passwordHash);
  if (rehash) updated.passwordHash = ctx_.hasher.hash(password);

  SignInResult result;
  result.token = ctx_.random.hex(32);  // 256 bits
  storage::SessionRecord session;
  session.id = newId(ctx_.random);
  session.tokenHash = security::sha256Hex(result.token);
  session.userId = user->id;
  session.csrfToken = ctx_.random.hex(32);
  session.createdAt = session.lastSeenAt = now;
  session.address = origin.address;
  session.userAgent = origin.userAgent.substr(0, 200);

  ctx_.store.transaction([&] {
    if (rehash || updated.mustChangePassword != user->mustChangePassword) ctx_.store.updateUser(updated);
    ctx_.store.insertSession(session);
    ctx_.audit.record(Event::SignInSucceeded, {user->id, user->username, origin.address, {}},
                      AuditTarget{"session", session.id}, {{"role", user->role}});
  });
  ctx_.throttle.clear(accountKey);

  result.principal = {user->id, user->username, user->displayName, role, session.id, session.csrfToken,
                      updated.mustChangePassword, origin};
  result.idleExpiresAt = now + idleLimit(role);
  result.absoluteExpiresAt = now + absoluteLimit(role);
  return result;
}

Authentication SessionService::authenticate(const std::string& token, const RequestOrigin& origin) {
  if (token.empty()) return {std::nullopt, SessionRejection::missing};
  const auto found = ctx_.store.sessionWithUser(security::sha256Hex(token));
  if (!found) return {std::nullopt, SessionRejection::unknown};
  const auto& [session, user] = *found;
  if (session.endedAt) return {std::nullopt, SessionRejection::ended};
  const int64_t now = ctx_.clock.now();
  if (!user.active) {
    ctx_.store.endSession(session.id, now, "deactivated");
    return {std::nullopt, SessionRejection::inactive};
  }
  const Role role = roleFromName(user.role).value_or(Role::parent);
  if (now >= session.createdAt + absoluteLimit(role)) {
    ctx_.store.endSession(session.id, now, "absolute_timeout");
    return {std::nullopt, SessionRejection::absoluteExpired};
  }
  if (now >= session.lastSeenAt + idleLimit(role)) {
    ctx_.store.endSession(session.id, now, "idle_timeout");
    return {std::nullopt, SessionRejection::idleExpired};
  }
  if (now - session.lastSeenAt >= kTouchGranularity) ctx_.store.touchSession(session.id, now);
  return {Principal{user.id, user.username, user.displayName, role, session.id, session.csrfToken,
                    user.mustChangePassword, origin},
          SessionRejection::none};
}

void SessionService::signOut(const Principal& principal) {
  ctx_.store.transaction([&] {
    ctx_.store.endSession(principal.sessionId, ctx_.clock.now(), "signed_out");
    ctx_.audit.record(Event::SignedOut, AuditActor::of(principal), AuditTarget{"session", principal.sessionId});
  });
}

std::vector<SessionView> SessionService::listOwn(const Principal& principal) {
  std::vector<SessionView> out;
  for (auto& record : ctx_.store.openSessions(principal.userId)) {
    SessionView view;
    view.current = record.id == principal.sessionId;
    view.idleExpiresAt = record.lastSeenAt + idleLimit(principal.role);
    view.absoluteExpiresAt = record.createdAt + absoluteLimit(principal.role);
    if (view.idleExpiresAt <= ctx_.clock.now() || view.absoluteExpiresAt <= ctx_.clock.now()) continue;
    view.record = std::move(record);
    out.push_back(std::move(view));
  }
  return out;
}

void SessionService::endOwn(const Principal& principal, const std::string& sessionId) {
  const auto session = ctx_.store.sessionById(sessionId);
  // Another user's session is "not found", never "forbidden": ids reveal nothing.
  if (!session || session->userId != principal.userId || session->endedAt) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such open session of yours.");
  }
  ctx_.store.transaction([&] {
    ctx_.store.endSession(sessionId, ctx_.clock.now(), "ended_by_user");
    ctx_.audit.record(Event::SessionEnded, AuditActor::of(principal), AuditTarget{"session", sessionId});
  });
}

}  // namespace nestbox::domain
