#include "domain/accounts.hpp"

#include <cctype>

#include "core/text.hpp"
#include "domain/errors.hpp"
#include "security/tokens.hpp"

namespace nestbox::domain {
namespace {

}  // namespace

std::optional<std::string> checkUsername(const std::string& username) {
  if (username.size() < 3 || username.size() > 64) return "A username is 3 to 64 characters.";
  for (unsigned char c : username) {
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '@')) {
      return "A username may use letters, digits and . _ - @ only.";
    }
  }
  return std::nullopt;
}

std::optional<std::string> checkDisplayName(const std::string& name) {
  if (name.empty() || name.size() > 100) return "A name is 1 to 100 characters.";
  return std::nullopt;
}

std::optional<std::string> checkEmail(const std::string& email) {
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos ||
      email.back() == '.' || email.find(' ') != std::string::npos) {
    return "That does not look like an email address.";
  }
  return std::nullopt;
}

void AccountService::requireManager(const Principal& actor) {
  if (actor.role != Role::manager) {
    ctx_.audit.record(Event::AccessDenied, AuditActor::of(actor), AuditTarget{"accounts", ""});
    throw DomainError(ErrorKind::forbidden, "manager_only", "Only a manager can manage accounts.");
  }
}

storage::UserRecord AccountService::requireUser(const std::string& userId) {
  auto user = ctx_.store.userById(userId);
  if (!user) throw DomainError(ErrorKind::notFound, "not_found", "There is no such account.");
  return *user;
}

int AccountService::activeManagers() {
  return static_cast<int>(ctx_.store.users({std::string("manager"), true}).size());
}

std::string AccountService::hashNewPassword(const storage::UserRecord& user, const std::string& password,
                                            const std::string& field) {
  const auto setting = settings_.current();
  if (auto problem = security::checkPassword(password, settings_.passwordRules(),
                                             {user.username, user.displayName, setting ? setting->name : ""})) {
    throw invalid(field, *problem);
  }
  return ctx_.hasher.hash(password);
}

std::string AccountService::displayName(const std::string& userId) {
  const auto user = ctx_.store.userById(userId);
  return user ? user->displayName : std::string();
}

std::vector<storage::UserRecord> AccountService::list(const Principal& actor, const storage::UserQuery& query, Needs needs) {
  requireManager(actor);
  auto users = ctx_.store.users(query);
  if (needs == Needs::any) return users;
  const int64_t now = ctx_.clock.now();
  std::erase_if(users, [&](const storage::UserRecord& u) {
    if (needs == Needs::pin) return !(u.active && u.role != "parent" && !u.pinHash);
    const auto code = ctx_.store.passwordReset(u.id);
    if (!code) return true;
    return needs == Needs::codeUnused ? code->expiresAt <= now : code->expiresAt > now;
  });
  return users;
}

storage::UserRecord AccountService::get(const Principal& actor, const std::string& userId) {
  if (actor.userId != userId) requireManager(actor);
  return requireUser(userId);
}

OneTimeCode AccountService::storeCode(const Principal& actor, const std::string& userId) {
  const std::string code = ctx_.random.base32(10);  // 80 bits
  const OneTimeCode out{security::groupCode(code), ctx_.clock.now() + kOneTimeCodeLifetime};
  ctx_.store.putPasswordReset({userId, security::sha256Hex(code), out.expiresAt, actor.userId});
  return out;
}

std::pair<storage::UserRecord, OneTimeCode> AccountService::create(const Principal& actor, const NewAccount& a) {
  requireManager(actor);
  storage::UserRecord user = newUser(a);
  // No password anyone knows: the account is usable only after the code is redeemed.
  user.passwordHash = ctx_.hasher.hash(ctx_.random.hex(32));
  OneTimeCode code{};
  insertNew(user, [&] {
    code = storeCode(actor, user.id);
    ctx_.audit.record(Event::AccountCreated, AuditActor::of(actor), AuditTarget{"user", user.id},
                      {{"username", user.username}, {"role", user.role}});
  });
  return {user, code};
}

storage::UserRecord AccountService::newUser(const NewAccount& a) {
  if (auto p = checkUsername(a.username)) throw invalid("username", *p);
  if (auto p = checkDisplayName(a.displayName)) throw invalid("display_name", *p);
  if (a.email && !a.email->empty()) {
    if (auto p = checkEmail(*a.email)) throw invalid("email", *p);
  }
  storage::UserRecord user;
  user.id = newId(ctx_.random);
  user.username = a.username;
  user.displayName = a.displayName;
  user.email = a.email && !a.email->empty() ? a.email : std::nullopt;
  user.role = roleName(a.role);
  user.mustChangePassword = false;
  user.createdAt = user.updatedAt = user.passwordChangedAt = ctx_.clock.now();
  return user;
}

void AccountService::insertNew(const storage::UserRecord& user, const std::function<void()>& alsoInTransaction) {
  try {
    ctx_.store.transaction([&] {
      ctx_.store.insertUser(user);
      alsoInTransaction();
    });
  } catch (const storage::DuplicateError&) {
    throw DomainError(ErrorKind::conflict, "username_taken", "That username is already in use; choose another.",
                      "username");
  }
}

storage::UserRecord AccountService::createInvitedParent(const NewAccount& a, const std::string& password,
                                                        const RequestOrigin& origin) {
  NewAccount parent = a;
  parent.role = Role::parent;
  storage::UserRecord user = newUser(parent);
  user.passwordHash = hashNewPassword(user, password, "password");
  insertNew(user, [&] {
    ctx_.audit.record(Event::AccountCreated, {user.id, user.username, origin.address, {}}, AuditTarget{"user", user.id},
                      {{"username", user.username}, {"role", user.role}, {"via", "invitation"}});
  });
  return user;
}

storage::UserRecord AccountService::update(const Principal& actor, const std::string& userId,
                                           const AccountChange& c) {
  requireManager(actor);
  storage::UserRecord user = requireUser(userId);
  Json changed = Json::object();
  if (c.username) {
    if (auto p = checkUsername(*c.username)) throw invalid("username", *p);
    user.username = *c.username;
    changed["username"] = *c.username;
  }
  if (c.displayName) {
    if (auto p = checkDisplayName(*c.displayName)) throw invalid("display_name", *p);
    user.displayName = *c.displayName;
    changed["display_name"] = *c.displayName;
  }
  if (c.email) {
    if (!c.email->empty()) {
      if (auto p = checkEmail(*c.email)) throw invalid("email", *p);
    }
    user.email = c.email->empty() ? std::nullopt : c.email;
    changed["email"] = c.email->empty() ? "(removed)" : "(changed)";  // no addresses in the audit log
  }
  bool roleChanged = false;
  if (c.role && roleName(*c.role) != user.role) {
    if (user.role == "manager" && user.active && activeManagers() <= 1) {
      throw DomainError(ErrorKind::conflict, "last_manager",
                        "This is the only active manager; make someone else a manager first.", "role");
    }
    user.role = roleName(*c.role);
    changed["role"] = user.role;
    roleChanged = true;
  }
  user.updatedAt = ctx_.clock.now();
  try {
    ctx_.store.transaction([&] {
      ctx_.store.updateUser(user);
      // A new role means new permissions: sign the person in again under it.
      if (roleChanged) ctx_.store.endUserSessions(user.id, user.updatedAt, "role_changed", std::nullopt);
      ctx_.audit.record(Event::AccountUpdated, AuditActor::of(actor), AuditTarget{"user", user.id}, changed);
    });
  } catch (const storage::DuplicateError&) {
    throw DomainError(ErrorKind::conflict, "username_taken", "That username is already in use; choose another.",
                      "username");
  }
  return user;
}

storage::UserRecord AccountService::deactivate(const Principal& actor, const std::string& userId) {
  requireManager(actor);
  storage::UserRecord user = requireUser(userId);
  if (!user.active) return user;
  if (user.role == "manager" && activeManagers() <= 1) {
    throw DomainError(ErrorKind::conflict, "last_manager",
                      "This is the only active manager; make someone else a manager first.");
  }
  user.active = false;
  user.updatedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    ctx_.store.updateUser(user);
    const int ended = ctx_.store.endUserSessions(user.id, user.updatedAt, "deactivated", std::nullopt);
    ctx_.store.deletePasswordReset(user.id);
    ctx_.audit.record(Event::AccountDeactivated, AuditActor::of(actor), AuditTarget{"user", user.id},
                      {{"sessions_ended", ended}});
  });
  return user;
}

storage::UserRecord AccountService::reactivate(const Principal& actor, const std::string& userId) {
  requireManager(actor);
  storage::UserRecord user = requireUser(userId);
  if (user.active) return user;
  user.active = true;
  user.updatedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    ctx_.store.updateUser(user);
    ctx_.audit.record(Event::AccountReactivated, AuditActor::of(actor), AuditTarget{"user", user.id});
  });
  return user;
}

OneTimeCode AccountService::issueReset(const Principal& actor, const std::string& userId) {
  requireManager(actor);
  const storage::UserRecord user = requireUser(userId);
  if (!user.active) {
    throw DomainError(ErrorKind::conflict, "inactive", "Reactivate the account before resetting its password.");
  }
  OneTimeCode code{};
  ctx_.store.transaction([&] {
    code = storeCode(actor, user.id);
    // A reset also lifts a lockout: the manager has checked who is asking.
    ctx_.throttle.clear("account:" + asciiLower(user.username));
    ctx_.audit.record(Event::PasswordResetIssued, AuditActor::of(actor), AuditTarget{"user", user.id});
  });
  return code;
}

void AccountService::redeemCode(const std::string& username, const std::string& code,
                                const std::string& newPassword, const RequestOrigin& origin) {
  const int64_t now = ctx_.clock.now();
  const std::string throttleKey = "reset:" + asciiLower(username);
  if (auto wait = ctx_.throttle.lockedFor(throttleKey, now)) {
    throw DomainError(ErrorKind::throttled, "throttled",
                      "Too many wrong codes. Try again later or ask a manager for a new code.", "", *wait);
  }
  const auto user = ctx_.store.userByUsername(username);
  const auto reset = user ? ctx_.store.passwordReset(user->id) : std::nullopt;
  const bool valid = user && user->active && reset && reset->expiresAt > now &&
                     security::constantTimeEquals(reset->codeHash, security::sha256Hex(security::normaliseCode(code)));
  if (!valid) {
    ctx_.throttle.recordFailure(throttleKey, kAccountThrottle, now);
    AuditActor actor = AuditActor::anonymous(origin);
    if (user) actor.userId = user->id, actor.username = user->username;
    ctx_.audit.record(Event::PasswordResetRejected, actor);
    throw DomainError(ErrorKind::unauthenticated, "invalid_code",
                      "That code is not right or has expired. Ask a manager for a new one.", "code");
  }
  storage::UserRecord updated = *user;
  updated.passwordHash = hashNewPassword(updated, newPassword, "new_password");
  updated.passwordChangedAt = updated.updatedAt = ctx_.clock.now();
  updated.mustChangePassword = false;
  ctx_.store.transaction([&] {
    ctx_.store.updateUser(updated);
    ctx_.store.deletePasswordReset(updated.id);
    ctx_.store.endUserSessions(updated.id, updated.updatedAt, "password_reset", std::nullopt);
    ctx_.throttle.clear(throttleKey);
    ctx_.throttle.clear("account:" + asciiLower(updated.username));
    ctx_.audit.record(Event::PasswordResetUsed, {updated.id, updated.username, origin.address, {}},
                      AuditTarget{"user", updated.id});
  });
}

void AccountService::changePassword(const Principal& actor, const std::string& currentPassword,
                                    const std::string& newPassword) {
  storage::UserRecord user = requireUser(actor.userId);
  if (!ctx_.hasher.verify(user.passwordHash, currentPassword)) {
    throw DomainError(ErrorKind::invalid, "wrong_password", "Your current password is not right.",
                      "current_password");
  }
  if (currentPassword == newPassword) {
    throw invalid("new_password", "Choose a password different from your current one.");
  }
  user.passwordHash = hashNewPassword(user, newPassword, "new_password");
  user.passwordChangedAt = user.updatedAt = ctx_.clock.now();
  user.mustChangePassword = false;
  ctx_.store.transaction([&] {
    ctx_.store.updateUser(user);
    const int ended = ctx_.store.endUserSessions(user.id, user.updatedAt, "password_changed", actor.sessionId);
    ctx_.audit.record(Event::PasswordChanged, AuditActor::of(actor), AuditTarget{"user", user.id},
                      {{"other_sessions_ended", ended}});
  });
}

void AccountService::storePin(const Principal& actor, storage::UserRecord user, const std::string& pin) {
  if (auto p = security::checkPin(pin)) throw invalid("pin", *p);
  user.pinHash = ctx_.hasher.hash(pin);
  user.updatedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    ctx_.store.updateUser(user);
    ctx_.audit.record(Event::PinSet, AuditActor::of(actor), AuditTarget{"user", user.id});
  });
}

void AccountService::setPinFor(const Principal& actor, const std::string& userId, const std::string& pin) {
  requireManager(actor);
  const storage::UserRecord user = requireUser(userId);
  if (user.role == "parent") throw invalid("pin", "Parents do not have a PIN; PINs are for staff tablets.");
  storePin(actor, user, pin);
}

void AccountService::setOwnPin(const Principal& actor, const std::string& password, const std::string& pin) {
  const storage::UserRecord user = requireUser(actor.userId);
  if (user.role == "parent") throw invalid("pin", "Parents do not have a PIN; PINs are for staff tablets.");
  if (!ctx_.hasher.verify(user.passwordHash, password)) {
    throw DomainError(ErrorKind::invalid, "wrong_password", "Your password is not right.", "password");
  }
  storePin(actor, user, pin);
}

}  // namespace nestbox::domain
