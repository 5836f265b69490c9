#include "domain/backup_service.hpp"

#include <algorithm>
#include <set>

#include "core/log.hpp"
#include "domain/errors.hpp"
#include "domain/roles.hpp"
#include "security/tokens.hpp"

namespace nestbox::domain {
namespace {

constexpr const char* kTargetKey = "backup_target";
constexpr const char* kTimeKey = "backup_time";
constexpr const char* kSinceKey = "backup_since";
constexpr const char* kLastSlotKey = "backup_last_slot";
constexpr const char* kLastCheckKey = "backup_last_check";
constexpr const char* kLastTestRestoreKey = "backup_last_test_restore";
constexpr int kKeyGroups = 8;
constexpr int kKeyGroupSize = 5;
// What a manager is told when the time or the recovery key they typed does not parse.
constexpr const char* kBackupTimeHelp = "Give the daily backup time as HH:MM, for example 02:00.";
constexpr const char* kRecoveryKeyHelp =
    "A recovery key is 40 letters and digits, in 8 groups of 5, as on the recovery sheet.";
constexpr int kMaxWrongConfirmations = 5;

std::optional<int64_t> storedTime(storage::Store& store, const char* key) {
  const auto v = store.boxValue(key);
  if (!v) return std::nullopt;
  try {
    return std::stoll(*v);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string collapseSpaces(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string groupKey(const std::string& key) {
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i > 0 && i % kKeyGroupSize == 0) out.push_back('-');
    out.push_back(key[i]);
  }
  return out;
}

}  // namespace

std::optional<std::string> BackupService::normaliseKey(const std::string& typed) {
  if (typed.size() > 200) return std::nullopt;
  const std::string key = security::normaliseCode(typed);
  if (key.size() != static_cast<std::size_t>(kKeyGroups * kKeyGroupSize)) return std::nullopt;
  static const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (char c : key) {
    if (alphabet.find(c) == std::string::npos) return std::nullopt;
  }
  return key;
}

void BackupService::checkTarget(const BackupTarget& t, const std::string& field) {
  if (t.kind == "usb") return;
  if (t.kind != "directory") throw invalid(field, "Choose a USB disk (\"usb\") or a folder (\"directory\") for the backups.");
  const std::string& p = t.path;
  const bool plain = std::all_of(p.begin(), p.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' || c == '-';
  });
  if (p.size() < 2 || p.size() > 200 || p.front() != '/' || !plain || p.find("..") != std::string::npos) {
    throw invalid(field, "A backup folder is an absolute path of letters, digits and / . _ - (for example /srv/backups).");
  }
}

int BackupService::minuteOfDay() {
  const auto v = ctx_.store.boxValue(kTimeKey);
  return v ? parseTimeOfDay(*v).value_or(kDefaultBackupMinute) : kDefaultBackupMinute;
}

std::optional<BackupTarget> BackupService::target() {
  const auto v = ctx_.store.boxValue(kTargetKey);
  if (!v) return std::nullopt;
  const Json j = Json::parse(*v, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  return BackupTarget{j.value("kind", ""), j.value("path", "")};
}

bool BackupService::configured() {
  settleTargetChange();  // a setup the agent has just answered counts at once
  return target().has_value();
}

ScheduleMemory BackupService::memory() {
  ScheduleMemory m;
  m.since = storedTime(ctx_.store, kSinceKey).value_or(0);
  m.lastSlot = storedTime(ctx_.store, kLastSlotKey);
  m.lastCheck = storedTime(ctx_.store, kLastCheckKey);
  m.lastTestRestore = storedTime(ctx_.store, kLastTestRestoreKey);
  return m;
}

system::AgentReply BackupService::submit(const std::string& op, const std::string& origin,
                                         std::vector<std::pair<std::string, std::string>> fields) {
  system::AgentRequest r{newId(ctx_.random), op, origin, std::move(fields)};
  try {
    agent_.submit(r);
  } catch (const std::exception& e) {
    logEvent(Event::BackupAgentUnavailable, {{"op", op}, {"error", e.what()}});
    throw DomainError(ErrorKind::conflict, "backup_agent_unavailable",
                      "The box could not pass this to its backup service. Ask IT support to check "
                      "nestbox-backup-agent.path (systemctl status nestbox-backup-agent.path).");
  }
  if (origin != "setup") lastRequest_ = r.id;
  system::AgentReply queued;
  queued.id = r.id;
  queued.op = op;
  queued.origin = origin;
  queued.updatedAt = ctx_.clock.now();
  return queued;
}

void BackupService::settleTargetChange() {
  if (!targetChange_) return;
  const auto r = agent_.reply(targetChange_->requestId);
  if (r && (r->state == "queued" || r->state == "running")) return;
  // The agent stores a target it accepts before trying it: a missing disk or a wrong key is
  // still this target's problem; a refused target (or no answer at all) never became one.
  static const std::set<std::string> refused = {"directory_not_allowed", "bad_target", "bad_key", "not_set_up", "bad_request"};
  if (r && !(r->state == "failed" && refused.contains(r->errorCode))) {
    ctx_.store.setBoxValue(kTargetKey, targetChange_->targetJson);
    if (targetChange_->time) {
      ctx_.store.setBoxValue(kTimeKey, *targetChange_->time);
      ctx_.store.setBoxValue(kSinceKey, std::to_string(ctx_.clock.now()));
    }
  }
  targetChange_.reset();
}

BackupStatus BackupService::status(const Principal& manager) {
  requireManagerRole(ctx_, manager, "backups");
  settleTargetChange();
  BackupStatus s;
  s.overview = monitor_.current();
  s.target = target();
  s.configured = s.target.has_value();
  const int minute = minuteOfDay();
  s.time = formatTimeOfDay(minute);
  const Calendar calendar = settings_.calendar();
  s.timeZone = calendar.zone();
  if (s.configured) {
    s.nextAt = nextBackupSlot(ctx_.clock.now(), minute, calendar);
  } else if (!s.overview.last) {
    s.overview.state = "not_set_up";
  }
  if (lastRequest_) {
    const auto r = agent_.reply(*lastRequest_);
    if (r && (r->state == "queued" || r->state == "running")) s.pending = r;
  }
  return s;
}

system::AgentReply BackupService::listDisks(const Principal& manager) {
  requireManagerRole(ctx_, manager, "backups");
  auto r = submit("disks", "manager");
  lastDisks_ = r.id;
  lastDisksAt_ = ctx_.clock.now();
  return r;
}

system::AgentReply BackupService::prepareDisk(const Principal& manager, const std::string& device,
                                              const std::string& confirm) {
  requireManagerRole(ctx_, manager, "backups");
  std::optional<system::AgentReply> listing;
  if (lastDisks_ && ctx_.clock.now() - lastDisksAt_ <= kDiskListFreshSeconds) listing = agent_.reply(*lastDisks_);
  if (!listing || listing->state != "done" || !listing->result.is_object()) {
    throw DomainError(ErrorKind::conflict, "disks_not_listed", "Find the disks again first, then choose the one to prepare.");
  }
  std::optional<Json> found;
  const Json disks = listing->result.value("disks", Json::array());
  for (const auto& d : disks) {
    if (d.is_object() && d.value("device", "") == device) found = d;
  }
  if (!found) throw invalid("device", "That disk is not in the list. Find the disks again and choose one of them.", "no_such_disk");
  const std::string expected = found->value("confirm", "");
  if (expected.empty() || collapseSpaces(confirm) != collapseSpaces(expected)) {
    throw invalid("confirm", "Type the disk's name and size exactly as shown (" + expected +
                                 "): everything on it will be erased.", "confirm_mismatch");
  }
  ctx_.audit.record(Event::BackupDiskPrepareRequested, AuditActor::of(manager), std::nullopt,
                    {{"model", found->value("model", "")}, {"size_bytes", found->value("size_bytes", 0LL)}});
  return submit("prepare", "manager", {{"device", device}, {"confirm", confirm}});
}

PendingBackupKey BackupService::beginSetup(const Principal& manager, const BackupTarget& t, const std::string& time) {
  requireManagerRole(ctx_, manager, "backups");
  checkTarget(t, "target");
  if (!parseTimeOfDay(time)) throw invalid("time", kBackupTimeHelp);
  PendingBackupKey k;
  k.id = newId(ctx_.random);
  k.key = groupKey(ctx_.random.base32(kKeyBytes));
  // Two different groups to type back, in order.
  const int first = static_cast<int>(ctx_.random.uniform(kKeyGroups));
  int second = static_cast<int>(ctx_.random.uniform(kKeyGroups - 1));
  if (second >= first) ++second;
  k.confirmGroups = {std::min(first, second) + 1, std::max(first, second) + 1};
  k.expiresAt = ctx_.clock.now() + kPendingKeySeconds;
  pendingKey_ = k;
  pendingTarget_ = Json{{"kind", t.kind}, {"path", t.kind == "directory" ? t.path : ""}}.dump();
  pendingTime_ = time;
  wrongConfirmations_ = 0;
  logEvent(Event::BackupKeyShown, {{"user", manager.username}});
  return k;
}

system::AgentReply BackupService::confirmSetup(const Principal& manager, const std::string& id, const std::string& typed) {
  requireManagerRole(ctx_, manager, "backups");
  if (!pendingKey_ || pendingKey_->id != id || ctx_.clock.now() > pendingKey_->expiresAt) {
    throw DomainError(ErrorKind::notFound, "setup_expired",
                      "That recovery key is no longer waiting to be confirmed. Start setting up backups again: a new key will be made.");
  }
  const std::string key = *normaliseKey(pendingKey_->key);
  std::string expected;
  for (int g : pendingKey_->confirmGroups) expected += key.substr((g - 1) * kKeyGroupSize, kKeyGroupSize);
  if (!security::constantTimeEquals(security::normaliseCode(typed), expected)) {
    if (++wrongConfirmations_ >= kMaxWrongConfirmations) pendingKey_.reset();
    throw invalid("typed",
                  "That is not groups " + std::to_string(pendingKey_ ? pendingKey_->confirmGroups[0] : 0) + " and " +
                      std::to_string(pendingKey_ ? pendingKey_->confirmGroups[1] : 0) +
                      " of the key. Check the printed sheet and type them again.",
                  "key_mismatch");
  }
  const Json t = Json::parse(pendingTarget_);
  const BackupTarget chosen{t.value("kind", ""), t.value("path", "")};
  auto r = submit("setup", "manager", {{"target", chosen.agentValue()}, {"key", key}});
  targetChange_ = TargetChange{r.id, pendingTarget_, pendingTime_};
  pendingKey_.reset();
  ctx_.audit.record(Event::BackupSetUp, AuditActor::of(manager), std::nullopt,
                    {{"target", chosen.kind}, {"time", pendingTime_}});
  return r;
}

system::AgentReply BackupService::changeTarget(const Principal& manager, const BackupTarget& t) {
  requireManagerRole(ctx_, manager, "backups");
  checkTarget(t, "target");
  if (!configured()) throw DomainError(ErrorKind::conflict, "not_set_up", "Set up backups first: that makes the recovery key.");
  auto r = submit("target", "manager", {{"target", t.agentValue()}});
  targetChange_ = TargetChange{r.id, Json{{"kind", t.kind}, {"path", t.kind == "directory" ? t.path : ""}}.dump(), std::nullopt};
  ctx_.audit.record(Event::BackupTargetChanged, AuditActor::of(manager), std::nullopt, {{"target", t.kind}});
  return r;
}

system::AgentReply BackupService::test(const Principal& manager) {
  requireManagerRole(ctx_, manager, "backups");
  if (!configured()) throw DomainError(ErrorKind::conflict, "not_set_up", "Set up backups first.");
  return submit("test", "manager");
}

system::AgentReply BackupService::backUpNow(const Principal& manager) {
  requireManagerRole(ctx_, manager, "backups");
  if (!configured()) throw DomainError(ErrorKind::conflict, "not_set_up", "Set up backups first.");
  ctx_.audit.record(Event::BackupRequested, AuditActor::of(manager), std::nullopt, {{"op", "backup"}});
  return submit("backup", "manager");
}

system::AgentReply BackupService::listSnapshots(const Principal& manager) {
  requireManagerRole(ctx_, manager, "backups");
  if (!configured()) throw DomainError(ErrorKind::conflict, "not_set_up", "Set up backups first.");
  return submit("snapshots", "manager");
}

void BackupService::setTime(const Principal& manager, const std::string& time) {
  requireManagerRole(ctx_, manager, "backups");
  if (!parseTimeOfDay(time)) throw invalid("time", kBackupTimeHelp);
  ctx_.store.setBoxValue(kTimeKey, time);
  // A slot already past today is not owed because of the change.
  ctx_.store.setBoxValue(kLastSlotKey, std::to_string(latestBackupSlot(ctx_.clock.now(), *parseTimeOfDay(time), settings_.calendar())));
  ctx_.audit.record(Event::BackupScheduleChanged, AuditActor::of(manager), std::nullopt, {{"time", time}});
}

system::AgentReply BackupService::request(const Principal& manager, const std::string& id) {
  requireManagerRole(ctx_, manager, "backups");
  auto r = agent_.reply(id);
  if (!r || (r->origin != "manager" && r->origin != "schedule")) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such backup request (answers are kept for a day).");
  }
  return *r;
}

void BackupService::checkSetupCode(const std::string& code, const RequestOrigin& origin) {
  setup_.checkCode(code, origin, setupCodeFile_);
}

system::AgentReply BackupService::restoreDisks(const std::string& code, const RequestOrigin& origin) {
  checkSetupCode(code, origin);
  return submit("disks", "setup");
}

system::AgentReply BackupService::restoreSnapshots(const std::string& code, const BackupTarget& t, const std::string& key,
                                                   const RequestOrigin& origin) {
  checkSetupCode(code, origin);
  checkTarget(t, "target");
  const auto k = normaliseKey(key);
  if (!k) throw invalid("key", kRecoveryKeyHelp);
  return submit("snapshots", "setup", {{"target", t.agentValue()}, {"key", *k}});
}

system::AgentReply BackupService::restore(const std::string& code, const BackupTarget& t, const std::string& key,
                                          const std::string& snapshot, const RequestOrigin& origin) {
  checkSetupCode(code, origin);
  checkTarget(t, "target");
  const auto k = normaliseKey(key);
  if (!k) throw invalid("key", kRecoveryKeyHelp);
  const bool hex = snapshot.size() >= 8 && snapshot.size() <= 64 &&
                   std::all_of(snapshot.begin(), snapshot.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!hex && snapshot != "latest") throw invalid("snapshot", "Choose one of the snapshots listed.");
  ctx_.audit.record(Event::BackupRestoreRequested, AuditActor::anonymous(origin), std::nullopt,
                    {{"snapshot", snapshot}, {"target", t.kind}});
  return submit("restore", "setup", {{"target", t.agentValue()}, {"key", *k}, {"snapshot", snapshot}});
}

system::AgentReply BackupService::setupRequest(const std::string& id) {
  auto r = agent_.reply(id);
  if (!r || r->origin != "setup") throw DomainError(ErrorKind::notFound, "not_found", "There is no such restore request.");
  return *r;
}

void BackupService::tick() {
  settleTargetChange();
  if (!configured()) return;
  const int64_t now = ctx_.clock.now();
  const auto due = dueBackupWork(now, minuteOfDay(), settings_.calendar(), memory());
  if (!due.backup) return;
  try {
    submit("backup", "schedule");
    if (due.check) submit("check", "schedule");
    if (due.testRestore) submit("test-restore", "schedule");
  } catch (const DomainError&) {
    return;  // logged; asked again at the next tick
  }
  ctx_.store.setBoxValue(kLastSlotKey, std::to_string(due.slot));
  if (due.check) ctx_.store.setBoxValue(kLastCheckKey, std::to_string(now));
  if (due.testRestore) ctx_.store.setBoxValue(kLastTestRestoreKey, std::to_string(now));
  logEvent(Event::BackupScheduled, {{"check", due.check ? "yes" : "no"}, {"test_restore", due.testRestore ? "yes" : "no"}});
}

}  // namespace nestbox::domain
