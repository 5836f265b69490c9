#include "domain/sessions.hpp"

#include "core/log.hpp"
#include "core/text.hpp"
#include "domain/errors.hpp"
#include "domain/outside_access.hpp"
#include "security/device_keys.hpp"
#include "security/tokens.hpp"

namespace nestbox::domain {
namespace {

DomainError lockedError(int64_t seconds) {
  const int64_t minutes = (seconds + 59) / 60;
  return DomainError(ErrorKind::throttled, "locked",
                     "Too many failed sign-ins. Try again in " + std::to_string(minutes) +
                         (minutes == 1 ? " minute" : " minutes") + ", or ask a manager to reset your password.",
                     "", seconds);
}

}  // namespace

void SessionService::requireDevice(const DeviceProof& proof, const RequestOrigin& origin) {
  if (devices_.verify(proof.deviceId, proof.challenge, proof.signature)) return;
  AuditActor actor = AuditActor::anonymous(origin);
  actor.deviceId = proof.deviceId;
  ctx_.audit.record(Event::DeviceProofRejected, actor, AuditTarget{"device", proof.deviceId});
  throw DomainError(ErrorKind::forbidden, "device_not_recognised",
                    "This tablet is not registered with the box, or it has been revoked. Ask a manager to enrol it again.");
}

std::optional<std::string> SessionService::provenDevice(const std::optional<DeviceProof>& proof,
                                                        const RequestOrigin& origin) {
  if (proof) {
    requireDevice(*proof, origin);
    return proof->deviceId;
  }
  if (origin.clientCertSha1) return devices_.deviceForCertificate(*origin.clientCertSha1);
  return std::nullopt;
}

SignInResult SessionService::signIn(const std::string& username, const std::string& password,
                                    const RequestOrigin& origin, const std::optional<DeviceProof>& device,
                                    const std::optional<std::string>& rememberKey) {
  const int64_t now = ctx_.clock.now();
  if (rememberKey && !security::isP256PublicKey(*rememberKey)) {
    throw DomainError(ErrorKind::invalid, "invalid_input",
                      "This browser could not make a key to stay signed in. Sign in without keeping this phone signed in.",
                      "remember_key");
  }
  const std::string accountKey = "account:" + asciiLower(username);
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

  // From outside, staff (and managers unless the setting allows) are refused before anything
  // else about the sign-in: a registered tablet's proof makes no difference there.
  requireMaySignInFrom(origin, *user, std::nullopt);
  const Role role = roleFromName(user->role).value_or(Role::parent);
  // Parents use their own phones; a proof they send is ignored, not bound.
  const std::optional<std::string> deviceId = role == Role::parent ? std::nullopt : provenDevice(device, origin);
  if (role == Role::staff && !deviceId) {
    ctx_.audit.record(Event::SignInNeedsDevice, {user->id, user->username, origin.address, {}}, std::nullopt);
    throw DomainError(ErrorKind::forbidden, "device_required",
                      "Staff sign in only on the setting's registered tablets. Ask a manager to register this one.");
  }
  storage::UserRecord updated = *user;
  updated.pinFailures = 0;  // the password puts a switched-off PIN back
  const int maxAgeDays = settings_.passwordMaxAgeDays();
  if (maxAgeDays > 0 && now - user->passwordChangedAt > int64_t{maxAgeDays} * 86400) {
    updated.mustChangePassword = true;
  }
  const bool rehash = ctx_.hasher.needsRehash(user->passwordHash);
  if (rehash) updated.passwordHash = ctx_.hasher.hash(password);

  ctx_.throttle.clear(accountKey);
  // Only families keep a phone signed in; staff switch with their PIN on the setting's tablets.
  const bool remember = rememberKey && role == Role::parent;
  return openSession(*user, updated, origin, deviceId, remember ? Event::RememberedSignIn : Event::SignInSucceeded,
                     remember ? rememberKey : std::nullopt);
}

void SessionService::requireMaySignInFrom(const RequestOrigin& origin, const storage::UserRecord& user,
                                          const std::optional<std::string>& deviceId) {
  if (!origin.outside) return;
  // The dispatcher has already refused the route if the box is locked down.
  const auto role = roleFromName(user.role).value_or(Role::parent);
  const auto refusal = outsideRefusal(outsideVerdict({OutsideReach::managersRead, role, settings_.outsideManagerRead(), false}));
  if (!refusal) return;
  ctx_.audit.record(Event::OutsideRefused, {user.id, user.username, origin.address, deviceId}, std::nullopt,
                    {{"reason", refusal->code}, {"role", user.role}});
  throw DomainError(ErrorKind::forbidden, refusal->code, refusal->message);
}

SignInResult SessionService::openSession(const storage::UserRecord& user, const storage::UserRecord& updated,
                                         const RequestOrigin& origin, const std::optional<std::string>& deviceId,
                                         Event event, const std::optional<std::string>& rememberKey) {
  const int64_t now = ctx_.clock.now();
  const Role role = roleFromName(user.role).value_or(Role::parent);
  requireMaySignInFrom(origin, user, deviceId);  // every way of signing in passes here
  SignInResult result;
  result.token = ctx_.random.hex(32);  // 256 bits
  storage::SessionRecord session;
  session.id = newId(ctx_.random);
  session.tokenHash = security::sha256Hex(result.token);
  session.userId = user.id;
  session.csrfToken = ctx_.random.hex(32);
  session.createdAt = session.lastSeenAt = now;
  session.address = origin.address;
  session.userAgent = origin.userAgent.substr(0, 200);
  session.deviceId = deviceId;
  if (deviceId) session.deviceProvenAt = now;
  session.rotatedAt = session.authenticatedAt = now;
  if (rememberKey) {
    session.rememberKey = rememberKey;
    session.rememberUntil = now + int64_t{86400} * settings_.rememberDays();
  }

  ctx_.store.transaction([&] {
    if (updated.passwordHash != user.passwordHash || updated.mustChangePassword != user.mustChangePassword ||
        updated.pinFailures != user.pinFailures) {
      ctx_.store.updateUser(updated);
    }
    ctx_.store.insertSession(session);
    if (deviceId) devices_.touch(*deviceId, user.id, origin.address);
    // A sign-in from outside is audited as such (the manager's home counts them per day), with
    // how it was made.
    if (origin.outside) {
      ctx_.audit.record(Event::SignInOutside, {user.id, user.username, origin.address, deviceId},
                        AuditTarget{"session", session.id}, {{"role", user.role}, {"how", std::string(eventInfo(event).id)}});
    } else {
      ctx_.audit.record(event, {user.id, user.username, origin.address, deviceId}, AuditTarget{"session", session.id},
                        {{"role", user.role}});
    }
  });

  result.principal = {user.id, user.username, user.displayName, role, session.id, session.csrfToken,
                      updated.mustChangePassword, origin, deviceId, std::nullopt};
  result.idleExpiresAt = now + idleLimit(role);
  result.absoluteExpiresAt = now + absoluteLimit(role);
  if (rememberKey) result.idleExpiresAt = result.absoluteExpiresAt = result.rememberUntil = session.rememberUntil;
  return result;
}

Authentication SessionService::authenticate(const std::string& token, const RequestOrigin& origin) {
  if (token.empty()) return {std::nullopt, SessionRejection::missing};
  const std::string tokenHash = security::sha256Hex(token);
  const auto found = ctx_.store.sessionWithUser(tokenHash);
  if (!found) return oldToken(tokenHash, origin);
  return authenticateSession(found->first, found->second, origin, false);
}

Authentication SessionService::oldToken(const std::string& tokenHash, const RequestOrigin& origin) {
  const auto old = ctx_.store.sessionOfOldToken(tokenHash);
  if (!old) return {std::nullopt, SessionRejection::unknown};
  const auto& [session, rotatedAt] = *old;
  const int64_t now = ctx_.clock.now();
  const auto user = ctx_.store.userById(session.userId);
  if (!user) return {std::nullopt, SessionRejection::unknown};
  // Requests already on their way when the phone renewed still carry the old token.
  if (!session.endedAt && now - rotatedAt <= kRotationGraceSeconds) return authenticateSession(session, *user, origin, true);
  if (session.endedAt) {
    return {std::nullopt, session.endReason == std::optional<std::string>("token_reused") ? SessionRejection::reused
                                                                                          : SessionRejection::ended};
  }
  // Two holders of one session: the phone renewed, and someone else still has the old token.
  // Which is which cannot be told, so the account's sessions all end and the family signs in
  // again with their password (README, Sessions).
  ctx_.store.transaction([&] {
    const int ended = ctx_.store.endUserSessions(user->id, now, "token_reused", std::nullopt);
    ctx_.audit.record(Event::SessionTokenReused, {user->id, user->username, origin.address, std::nullopt},
                      AuditTarget{"session", session.id}, {{"sessions_ended", ended}});
  });
  return {std::nullopt, SessionRejection::reused};
}

Authentication SessionService::authenticateSession(const storage::SessionRecord& session, const storage::UserRecord& user,
                                                   const RequestOrigin& origin, bool inGrace) {
  if (session.endedAt) return {std::nullopt, SessionRejection::ended};
  const int64_t now = ctx_.clock.now();
  if (!user.active) {
    ctx_.store.endSession(session.id, now, "deactivated");
    return {std::nullopt, SessionRejection::inactive};
  }
  const Role role = roleFromName(user.role).value_or(Role::parent);
  const int64_t absoluteEnd = session.remembered() ? session.rememberUntil : session.createdAt + absoluteLimit(role);
  if (now >= absoluteEnd) {
    ctx_.store.endSession(session.id, now, "absolute_timeout");
    return {std::nullopt, SessionRejection::absoluteExpired};
  }
  // A remembered phone is not signed out when idle: it must prove it holds its key instead.
  const bool idle = now >= session.lastSeenAt + idleLimit(role);
  const bool rememberDue =
      session.remembered() && !inGrace && (idle || now >= session.rotatedAt + kRememberRotateSeconds);
  if (idle && !session.remembered()) {
    ctx_.store.endSession(session.id, now, "idle_timeout");
    return {std::nullopt, SessionRejection::idleExpired};
  }
  if (!rememberDue && now - session.lastSeenAt >= kTouchGranularity) {
    ctx_.store.touchSession(session.id, now);
    if (session.deviceId) devices_.touch(*session.deviceId, user.id, origin.address);
  }
  Authentication auth{Principal{user.id, user.username, user.displayName, role, session.id, session.csrfToken,
                                user.mustChangePassword, origin, session.deviceId, session.childViewChildId},
                      SessionRejection::none, false, rememberDue, session.remembered(), session.authenticatedAt};
  auth.deviceProofDue = session.deviceId && now >= session.deviceProvenAt.value_or(0) + kDeviceProofSeconds;
  // The MDM tier renews by presenting the device's certificate, which nginx checked.
  if (auth.deviceProofDue && origin.clientCertSha1 && devices_.deviceForCertificate(*origin.clientCertSha1) == session.deviceId) {
    ctx_.store.proveSessionDevice(session.id, now);
    auth.deviceProofDue = false;
  }
  return auth;
}

std::string SessionService::rememberChallenge(const Principal& principal) {
  const auto session = ctx_.store.sessionById(principal.sessionId);
  if (!session || !session->remembered()) {
    throw DomainError(ErrorKind::conflict, "not_remembered", "This session is not a remembered phone's.");
  }
  const std::string challenge = "nestbox-remember:" + ctx_.random.hex(32);
  ctx_.store.setSessionChallenge(session->id, security::sha256Hex(challenge));
  return challenge;
}

SignInResult SessionService::renewRemembered(const Principal& principal, const std::string& challenge,
                                             const std::string& signature) {
  const int64_t now = ctx_.clock.now();
  const auto session = ctx_.store.sessionById(principal.sessionId);
  if (!session || !session->remembered() || session->endedAt) {
    throw DomainError(ErrorKind::conflict, "not_remembered", "This session is not a remembered phone's.");
  }
  // A challenge that is not the open one (another tab asked for a newer one) is refused but
  // harmless; a wrong signature over the right one means the token came without the key.
  if (!session->rememberChallengeHash || *session->rememberChallengeHash != security::sha256Hex(challenge)) {
    throw DomainError(ErrorKind::conflict, "challenge_used", "That challenge is used or was never given. Ask for a new one.");
  }
  if (!security::verifyP256Signature(*session->rememberKey, challenge, signature)) {
    // The token came without the phone's key: ended, so a copied cookie is worth nothing.
    ctx_.store.transaction([&] {
      ctx_.store.endSession(session->id, now, "remember_proof_rejected");
      ctx_.audit.record(Event::RememberedProofRejected, AuditActor::of(principal), AuditTarget{"session", session->id},
                        {{"reason", "signature"}});
    });
    throw DomainError(ErrorKind::unauthenticated, "session_required",
                      "This phone could not prove it is the one you signed in on. Sign in again.");
  }
  SignInResult result;
  result.token = ctx_.random.hex(32);
  ctx_.store.rotateSessionToken(session->id, session->tokenHash, security::sha256Hex(result.token), now);
  ctx_.audit.record(Event::RememberedRenewed, AuditActor::of(principal), AuditTarget{"session", session->id});
  result.principal = principal;
  result.idleExpiresAt = result.absoluteExpiresAt = result.rememberUntil = session->rememberUntil;
  return result;
}

void SessionService::confirmPassword(const Principal& principal, const std::string& password) {
  const int64_t now = ctx_.clock.now();
  const std::string accountKey = "account:" + asciiLower(principal.username);
  if (auto wait = ctx_.throttle.lockedFor(accountKey, now)) throw lockedError(*wait);
  const auto user = ctx_.store.userById(principal.userId);
  if (!user || !ctx_.hasher.verify(user->passwordHash, password)) {
    const bool locked = ctx_.throttle.recordFailure(accountKey, kAccountThrottle, now);
    ctx_.audit.record(Event::SignInFailed, AuditActor::of(principal), std::nullopt, {{"reason", "wrong_password_confirm"}});
    if (locked) {
      ctx_.audit.record(Event::AccountLockedOut, AuditActor::of(principal), AuditTarget{"user", principal.userId},
                        {{"minutes", kAccountThrottle.lockSeconds / 60}});
    }
    throw DomainError(ErrorKind::invalid, "wrong_password", "That password is not right. Try again.", "password");
  }
  ctx_.throttle.clear(accountKey);
  ctx_.store.transaction([&] {
    ctx_.store.confirmSessionPassword(principal.sessionId, now);
    ctx_.audit.record(Event::PasswordConfirmed, AuditActor::of(principal), AuditTarget{"session", principal.sessionId});
  });
}

bool SessionService::needsPasswordAgain(const Authentication& auth) const {
  return auth.remembered && ctx_.clock.now() - auth.passwordGivenAt > kFreshPasswordSeconds;
}

void SessionService::signOut(const Principal& principal) {
  ctx_.store.transaction([&] {
    ctx_.store.endSession(principal.sessionId, ctx_.clock.now(), "signed_out");
    ctx_.audit.record(Event::SignedOut, AuditActor::of(principal), AuditTarget{"session", principal.sessionId});
  });
}

int SessionService::signOutEverywhere(const Principal& principal) {
  int ended = 0;
  ctx_.store.transaction([&] {
    ended = ctx_.store.endUserSessions(principal.userId, ctx_.clock.now(), "signed_out_everywhere", std::nullopt);
    ctx_.audit.record(Event::SignedOutEverywhere, AuditActor::of(principal), AuditTarget{"user", principal.userId},
                      {{"sessions", ended}});
  });
  return ended;
}

void SessionService::renewDeviceProof(const Principal& principal, const DeviceProof& proof) {
  if (!principal.deviceId || *principal.deviceId != proof.deviceId) {
    throw DomainError(ErrorKind::forbidden, "device_not_recognised", "This session belongs to another device.");
  }
  requireDevice(proof, principal.origin);
  ctx_.store.proveSessionDevice(principal.sessionId, ctx_.clock.now());
  ctx_.audit.record(Event::DeviceProofRenewed, AuditActor::of(principal), AuditTarget{"session", principal.sessionId});
}

std::vector<PinUser> SessionService::pinUsers(const DeviceProof& proof) {
  requireDevice(proof, {});
  std::vector<PinUser> out;
  for (const auto& u : ctx_.store.users({std::nullopt, true})) {
    if (u.role == "parent" || !u.pinHash) continue;
    out.push_back({u.id, u.displayName, u.pinFailures >= kPinAttempts});
  }
  return out;
}

DomainError SessionService::wrongPin(storage::UserRecord user, const RequestOrigin& origin,
                                     const std::optional<std::string>& deviceId) {
  user.pinFailures += 1;
  const int left = kPinAttempts - user.pinFailures;
  ctx_.store.transaction([&] {
    ctx_.store.updateUser(user);
    const AuditActor actor{user.id, user.username, origin.address, deviceId};
    ctx_.audit.record(Event::PinFailed, actor, AuditTarget{"user", user.id}, {{"failures", user.pinFailures}});
    if (left == 0) ctx_.audit.record(Event::PinLocked, actor, AuditTarget{"user", user.id});
  });
  if (left <= 0) {
    return DomainError(ErrorKind::forbidden, "pin_locked",
                       "Too many wrong PINs. Sign in with your username and password to use your PIN again.");
  }
  return DomainError(ErrorKind::unauthenticated, "wrong_pin",
                     "That PIN is not right. " + std::to_string(left) + (left == 1 ? " try" : " tries") +
                         " left before your password is needed.");
}

SignInResult SessionService::pinSignIn(const std::string& userId, const std::string& pin,
                                       const std::optional<DeviceProof>& device, const RequestOrigin& origin) {
  const int64_t now = ctx_.clock.now();
  const auto deviceId = provenDevice(device, origin);
  if (!deviceId) {
    throw DomainError(ErrorKind::forbidden, "device_not_recognised", "PINs work only on the setting's registered tablets.");
  }
  // Cycling through every name on the picker is throttled per device as well as per person.
  const std::string deviceKey = "pin-device:" + *deviceId;
  if (auto wait = ctx_.throttle.lockedFor(deviceKey, now)) throw lockedError(*wait);
  const auto user = ctx_.store.userById(userId);
  if (!user || user->role == "parent" || !user->active || !user->pinHash) {
    ctx_.throttle.recordFailure(deviceKey, kAddressThrottle, now);
    throw DomainError(ErrorKind::unauthenticated, "wrong_pin",
                      "PIN sign-in is not set up for this person. Sign in with the username and password.");
  }
  if (user->pinFailures >= kPinAttempts) {
    throw DomainError(ErrorKind::forbidden, "pin_locked",
                      "Too many wrong PINs. Sign in with your username and password to use your PIN again.");
  }
  if (!ctx_.hasher.verify(*user->pinHash, pin)) {
    ctx_.throttle.recordFailure(deviceKey, kAddressThrottle, now);
    throw wrongPin(*user, origin, deviceId);
  }
  storage::UserRecord updated = *user;
  updated.pinFailures = 0;
  return openSession(*user, updated, origin, deviceId, Event::PinSignIn);
}

void SessionService::enterChildView(const Principal& principal, const std::string& childId) {
  if (principal.role == Role::parent || !principal.deviceId) {
    throw DomainError(ErrorKind::forbidden, "device_required", "Child view opens only on a registered tablet, for staff.");
  }
  ctx_.store.transaction([&] {
    ctx_.store.setSessionChildView(principal.sessionId, childId);
    ctx_.audit.record(Event::ChildViewEntered, AuditActor::of(principal), AuditTarget{"child", childId});
  });
}

void SessionService::leaveChildView(const Principal& principal, const std::string& pin) {
  const auto user = ctx_.store.userById(principal.userId);
  if (!principal.childViewOf || !user) {
    throw DomainError(ErrorKind::conflict, "not_in_child_view", "This tablet is not in child view.");
  }
  if (!user->pinHash) {
    throw DomainError(ErrorKind::forbidden, "pin_required", "Set a PIN first (My account), or sign out to leave child view.");
  }
  if (user->pinFailures >= kPinAttempts) {
    throw DomainError(ErrorKind::forbidden, "pin_locked",
                      "Too many wrong PINs. Sign out, then sign in with your username and password.");
  }
  if (!ctx_.hasher.verify(*user->pinHash, pin)) throw wrongPin(*user, principal.origin, principal.deviceId);
  storage::UserRecord updated = *user;
  updated.pinFailures = 0;
  ctx_.store.transaction([&] {
    if (user->pinFailures) ctx_.store.updateUser(updated);
    ctx_.store.setSessionChildView(principal.sessionId, std::nullopt);
    ctx_.audit.record(Event::ChildViewLeft, AuditActor::of(principal), AuditTarget{"child", *principal.childViewOf});
  });
}

std::vector<SessionView> SessionService::listOwn(const Principal& principal) {
  std::vector<SessionView> out;
  for (auto& record : ctx_.store.openSessions(principal.userId)) {
    SessionView view;
    view.current = record.id == principal.sessionId;
    view.idleExpiresAt = record.lastSeenAt + idleLimit(principal.role);
    view.absoluteExpiresAt = record.createdAt + absoluteLimit(principal.role);
    if (record.remembered()) view.idleExpiresAt = view.absoluteExpiresAt = record.rememberUntil;
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
