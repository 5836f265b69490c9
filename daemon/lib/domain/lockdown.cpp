#include "domain/lockdown.hpp"

#include "domain/errors.hpp"
#include "domain/roles.hpp"

namespace nestbox::domain {
namespace {

void checkText(const std::string& text, const char* field, const char* what) {
  if (text.empty() || text.size() > 2000) {
    throw DomainError(ErrorKind::invalid, "invalid", std::string(what) + " (up to 2000 characters).", field);
  }
}

}  // namespace

Incident LockdownService::engage(const Principal& manager, const std::string& reason) {
  requireManagerRole(ctx_, manager, "lockdown");
  return engageAs("web", manager.username, manager.userId, manager.origin.address, reason);
}

Incident LockdownService::engageLocally(const std::string& via, const std::string& who, const std::string& reason) {
  return engageAs(via, who, std::nullopt, "local", reason);
}

void LockdownService::onEngaged(std::function<void()> stop) {
  std::lock_guard lock(listenersMutex_);
  onEngaged_.push_back(std::move(stop));
}

Incident LockdownService::engageAs(const std::string& via, const std::string& who, const std::optional<std::string>& userId,
                                   const std::string& address, const std::string& reason) {
  checkText(reason, "reason", "Say why the box is being locked down");
  std::optional<Incident> result;
  bool engaged = false;
  ctx_.store.transaction([&] {
    if (auto open = store_.openIncident()) {
      result = withUpdates(*open);
      return;
    }
    storage::IncidentRecord r;
    r.id = newId(ctx_.random);
    r.engagedAt = ctx_.clock.now();
    r.engagedBy = who;
    r.via = via;
    r.reason = reason;
    store_.insertIncident(r);
    const int ended = store_.endAllSessions(r.engagedAt, "lockdown");
    const int quarantined = store_.quarantineUploads(r.engagedAt);
    ctx_.audit.record(Event::LockdownEngaged, AuditActor{userId, who, address, std::nullopt}, AuditTarget{"incident", r.id},
                      {{"via", via}, {"reason", reason}, {"sessions_ended", ended}, {"uploads_quarantined", quarantined}});
    result = Incident{r, {}};
    engaged = true;
  });
  if (engaged) {
    std::vector<std::function<void()>> listeners;
    {
      std::lock_guard lock(listenersMutex_);
      listeners = onEngaged_;
    }
    for (const auto& stop : listeners) stop();
  }
  return *result;
}

std::optional<Incident> LockdownService::current() {
  auto open = store_.openIncident();
  if (!open) return std::nullopt;
  return withUpdates(*open);
}

std::optional<Incident> LockdownService::recentlyLifted(int days) {
  const auto recent = store_.incidents(1);
  if (recent.empty() || !recent.front().liftedAt || *recent.front().liftedAt < ctx_.clock.now() - int64_t{days} * 86400) {
    return std::nullopt;
  }
  return withUpdates(recent.front());
}

Incident LockdownService::withUpdates(storage::IncidentRecord record) {
  auto updates = store_.incidentUpdates(record.id);
  return {std::move(record), std::move(updates)};
}

storage::UserRecord LockdownService::requireManager(const ManagerCredentials& m, const RequestOrigin& origin) {
  const int64_t now = ctx_.clock.now();
  const std::string key = "lockdown:" + origin.address;
  if (const auto wait = ctx_.throttle.lockedFor(key, now)) {
    throw DomainError(ErrorKind::throttled, "locked", "Too many failed attempts. Wait, then try again.", "", *wait);
  }
  if (!settings_.isSecureAddress(origin.address)) {
    ctx_.audit.record(Event::LockdownLiftRefused, AuditActor::anonymous(origin), std::nullopt, {{"reason", "not_on_lan"}});
    throw DomainError(ErrorKind::forbidden, "not_on_lan",
                      "Lockdown is managed only from the setting's own network. Connect to the staff network at the setting.");
  }
  const auto user = ctx_.store.userByUsername(m.username);
  bool ok = false;
  if (user) {
    ok = ctx_.hasher.verify(user->passwordHash, m.password);
    ok = user->pinHash && ctx_.hasher.verify(*user->pinHash, m.pin) && ok;
  } else {
    ctx_.hasher.verifyDummy(m.password);
  }
  if (!ok || !user->active || user->role != "manager") {
    ctx_.throttle.recordFailure(key, kAccountThrottle, now);
    AuditActor actor = AuditActor::anonymous(origin);
    if (user) actor.userId = user->id, actor.username = user->username;
    ctx_.audit.record(Event::LockdownLiftRefused, actor, std::nullopt,
                      {{"reason", ok ? "not_a_manager" : "wrong_credentials"}});
    if (ok) throw DomainError(ErrorKind::forbidden, "manager_only", "Only a manager can do this.");
    throw DomainError(ErrorKind::unauthenticated, "invalid_credentials",
                      "The username, password or PIN is not right. A manager's own details are needed.");
  }
  ctx_.throttle.clear(key);
  return *user;
}

void LockdownService::postUpdate(const ManagerCredentials& m, const std::string& message, const RequestOrigin& origin) {
  checkText(message, "message", "Write the update for staff and families");
  const auto user = requireManager(m, origin);
  ctx_.store.transaction([&] {
    const auto open = store_.openIncident();
    if (!open) throw DomainError(ErrorKind::conflict, "not_locked_down", "The box is not locked down.");
    store_.addIncidentUpdate({open->id, ctx_.clock.now(), user.displayName, message});
    ctx_.audit.record(Event::LockdownUpdated, {user.id, user.username, origin.address, std::nullopt},
                      AuditTarget{"incident", open->id});
  });
}

Incident LockdownService::lift(const ManagerCredentials& m, const std::string& fault, const std::string& rectification,
                               const RequestOrigin& origin) {
  checkText(fault, "fault", "Say what the fault was");
  checkText(rectification, "rectification", "Say how it was put right");
  const auto user = requireManager(m, origin);
  std::optional<Incident> result;
  ctx_.store.transaction([&] {
    auto open = store_.openIncident();
    if (!open) throw DomainError(ErrorKind::conflict, "not_locked_down", "The box is not locked down.");
    open->liftedAt = ctx_.clock.now();
    open->liftedBy = user.username;
    open->fault = fault;
    open->rectification = rectification;
    store_.updateIncident(*open);
    ctx_.audit.record(Event::LockdownLifted, {user.id, user.username, origin.address, std::nullopt},
                      AuditTarget{"incident", open->id}, {{"fault", fault}, {"rectification", rectification}});
    result = withUpdates(*open);
  });
  return *result;
}

bool panelLight(bool lockedDown, bool cameraRunning, int64_t nowMs) {
  if (lockedDown) return true;
  return cameraRunning && (nowMs / 500) % 2 == 0;
}

void LockdownPanel::tick(int64_t nowMs) {
  bool changed = false;
  if (button_ && press_.sample(button_->active(), nowMs)) {
    lockdown_.engageLocally("button", "button", "The lockdown button on the box was held for 3 seconds.");
    changed = true;
  }
  if (!led_) return;
  // The database is asked once a second; the camera's state is a flag, read every tick.
  if (changed || nowMs - ledCheckedAt_ >= kLedRefreshMs) {
    ledCheckedAt_ = nowMs;
    lockedDown_ = lockdown_.engaged();
  }
  const bool lit = panelLight(lockedDown_, cameraRunning_ && cameraRunning_(), nowMs);
  if (lit_ != lit) {
    led_->set(lit);
    lit_ = lit;
  }
}

std::vector<Incident> LockdownService::incidents(const Principal& manager) {
  requireManagerRole(ctx_, manager, "lockdown");
  std::vector<Incident> out;
  for (auto& r : store_.incidents(500)) out.push_back(withUpdates(std::move(r)));
  return out;
}

}  // namespace nestbox::domain
