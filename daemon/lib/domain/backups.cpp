#include "domain/backups.hpp"

#include <initializer_list>

#include <nlohmann/json.hpp>

#include "domain/audit.hpp"
#include "domain/roles.hpp"
#include "system/clock.hpp"
#include "system/files.hpp"

namespace nestbox::domain {
namespace {

nlohmann::json checkJson(const BackupCheck& c) {
  return {{"finished_at", system::formatTimestamp(c.finishedAt)}, {"kind", c.kind}, {"ok", c.ok},
          {"subset_percent", c.subsetPercent}, {"sample", c.sample}, {"error", c.error}};
}

std::optional<std::string> readIfThere(const std::string& path) {
  if (!system::fileExists(path)) return std::nullopt;
  try {
    return system::readFile(path);
  } catch (const std::exception&) {
    return std::nullopt;  // being replaced; the next tick reads it
  }
}

nlohmann::json runJson(const BackupRun& r) {
  return {{"finished_at", system::formatTimestamp(r.finishedAt)}, {"ok", r.ok}, {"duration_s", r.durationSeconds},
          {"snapshot", r.snapshot}, {"bytes_added", r.bytesAdded}, {"bytes_total", r.bytesTotal},
          {"snapshots", r.snapshots}, {"error", r.error}, {"error_code", r.errorCode},
          {"size_bytes", r.sizeBytes}, {"free_bytes", r.freeBytes}};
}

}  // namespace

std::optional<BackupRun> parseBackupStatus(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  BackupRun r;
  try {
    r.finishedAt = system::parseTimestamp(j.value("finished_at", "")).value_or(0);
    r.ok = j.value("ok", false);
    r.durationSeconds = j.value("duration_s", int64_t{0});
    r.snapshot = j.value("snapshot", "");
    r.bytesAdded = j.value("bytes_added", int64_t{0});
    r.bytesTotal = j.value("bytes_total", int64_t{0});
    r.snapshots = j.value("snapshots", 0);
    r.error = j.value("error", "");
    r.errorCode = j.value("error_code", "");
    r.sizeBytes = j.value("size_bytes", int64_t{0});
    r.freeBytes = j.value("free_bytes", int64_t{0});
    if (!r.ok && r.errorCode.empty()) r.errorCode = "failed";
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  if (r.finishedAt == 0) return std::nullopt;
  return r;
}

std::optional<BackupCheck> parseBackupCheck(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  BackupCheck c;
  try {
    c.finishedAt = system::parseTimestamp(j.value("finished_at", "")).value_or(0);
    c.ok = j.value("ok", false);
    c.kind = j.value("kind", "check");
    c.subsetPercent = j.value("subset_percent", 0);
    c.sample = j.value("sample", 0);
    c.error = j.value("error", "");
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  if (c.finishedAt == 0 || (c.kind != "check" && c.kind != "test_restore")) return std::nullopt;
  return c;
}

namespace {
// The newest of the runs (or verifications) audited under `events` that `wanted` accepts,
// by when they finished (then by when they were audited: two in the same second). Looks at
// the latest `depth` rows of each event.
template <typename Parse, typename Wanted>
auto latestAudited(storage::Store& store, std::initializer_list<const char*> events, Parse parse, Wanted wanted,
                   int depth = 1) -> decltype(parse(std::string())) {
  decltype(parse(std::string())) best;
  int64_t bestSeq = 0;
  for (const char* event : events) {
    storage::AuditQuery q;
    q.event = event;
    q.limit = depth;
    for (const auto& row : store.audit(q)) {
      const auto found = parse(row.detail);
      if (!found || !wanted(*found)) continue;
      if (!best || found->finishedAt > best->finishedAt || (found->finishedAt == best->finishedAt && row.seq > bestSeq)) {
        best = found;
        bestSeq = row.seq;
      }
      break;  // the rows come newest first
    }
  }
  return best;
}
}  // namespace

std::optional<BackupCheck> BackupMonitor::lastAuditedCheck(const std::string& kind) {
  // Weekly checks outnumber test restores four to one: look far enough back for either.
  return latestAudited(ctx_.store, {"NBX_BACKUP_CHECKED", "NBX_BACKUP_CHECK_FAILED"}, parseBackupCheck,
                       [&kind](const BackupCheck& c) { return kind.empty() || c.kind == kind; }, kind.empty() ? 1 : 16);
}

std::optional<BackupRun> BackupMonitor::lastAudited(bool goodOnly) {
  const auto any = [](const BackupRun&) { return true; };
  if (goodOnly) return latestAudited(ctx_.store, {"NBX_BACKUP_DONE"}, parseBackupStatus, any);
  return latestAudited(ctx_.store, {"NBX_BACKUP_DONE", "NBX_BACKUP_FAILED"}, parseBackupStatus, any);
}

void BackupMonitor::tick() {
  // Two small files: read every time, compared with what was read last time.
  const auto status = readIfThere(statusFile_);
  const auto checked = readIfThere(checkFile_);
  std::string contents = status.value_or("") + '\n' + checked.value_or("");
  if (contents == lastSeen_) return;
  const AuditActor backup{{}, "backup", "local", std::nullopt};
  if (const auto& text = status) {
    const auto run = parseBackupStatus(*text);
    const auto seen = lastAudited(false);
    if (run && (!seen || seen->finishedAt < run->finishedAt)) {
      LogFields logged;
      if (!run->ok) logged = {{"error_code", run->errorCode}, {"error", run->error}};  // IT support reads the journal
      ctx_.audit.record(run->ok ? Event::BackupDone : Event::BackupFailed, backup, std::nullopt, runJson(*run), logged);
    }
  }
  if (const auto& text = checked) {
    const auto check = parseBackupCheck(*text);
    // Of the same kind: a check and a test restore may finish in the same second.
    const auto seen = check ? lastAuditedCheck(check->kind) : std::nullopt;
    if (check && (!seen || seen->finishedAt < check->finishedAt)) {
      LogFields logged = {{"kind", check->kind}};
      if (!check->ok) logged.emplace_back("error", check->error);
      ctx_.audit.record(check->ok ? Event::BackupChecked : Event::BackupCheckFailed, backup, std::nullopt, checkJson(*check), logged);
    }
  }
  lastSeen_ = std::move(contents);  // only once audited: a failure here is tried again next second
}

BackupOverview BackupMonitor::current() {
  BackupOverview o;
  o.last = lastAudited(false);
  o.lastGood = lastAudited(true);
  o.lastCheck = lastAuditedCheck();
  o.lastWeeklyCheck = lastAuditedCheck("check");
  o.lastTestRestore = lastAuditedCheck("test_restore");
  if (!o.last) return o;
  if (!o.last->ok) {
    o.state = o.last->errorCode == "disk_missing" ? "disk_missing" : "failed";
  } else if (o.lastCheck && !o.lastCheck->ok) {
    o.state = "check_failed";
  } else if (!o.lastGood || ctx_.clock.now() - o.lastGood->finishedAt > kStaleSeconds) {
    o.state = "stale";
  } else if (o.lastGood->sizeBytes > 0 && o.lastGood->freeBytes * 100 < o.lastGood->sizeBytes * kNearlyFullPercent) {
    o.state = "nearly_full";
  } else {
    o.state = "ok";
  }
  return o;
}

BackupOverview BackupMonitor::overview(const Principal& manager) {
  requireManagerRole(ctx_, manager, "backups");
  return current();
}

}  // namespace nestbox::domain
