#pragma once
// What managers see of backups (issue 19). The backups themselves run outside nestboxd (the
// recovery key is readable by root only): nestbox-backup writes the result of each run to a
// status file in the data directory, and this reads it. Each run is audited once, when the
// daemon first sees it (NBX_BACKUP_DONE / NBX_BACKUP_FAILED), so the audit log is the history
// and the last good backup survives a failed run's status.

#include <optional>
#include <string>

#include "domain/context.hpp"

namespace nestbox::domain {

struct BackupRun {
  int64_t finishedAt = 0;
  bool ok = false;
  int64_t durationSeconds = 0;
  std::string snapshot;  // restic's id
  int64_t bytesAdded = 0;
  int64_t bytesTotal = 0;
  int snapshots = 0;  // kept in the repository after the run
  std::string error;  // for people, when it failed
  // Why it failed, for the banner: disk_missing, target_full, wrong_key, failed (empty: ok).
  std::string errorCode;
  int64_t sizeBytes = 0;  // the target's size and free space after the run (0: unknown)
  int64_t freeBytes = 0;
};

// A verification of the backups: "check" (weekly: `restic check`, a random part of the data
// read back) or "test_restore" (monthly: the latest snapshot's database and a sample of its
// media restored into a temporary folder and compared with what was backed up).
struct BackupCheck {
  int64_t finishedAt = 0;
  std::string kind = "check";
  bool ok = false;
  int subsetPercent = 0;  // check
  int sample = 0;         // test_restore: media files compared
  std::string error;
};

struct BackupOverview {
  std::optional<BackupRun> last;      // the latest run, good or not
  std::optional<BackupRun> lastGood;  // the latest good one
  std::optional<BackupCheck> lastCheck;        // the latest verification of either kind
  std::optional<BackupCheck> lastWeeklyCheck;  // kind "check"
  std::optional<BackupCheck> lastTestRestore;  // kind "test_restore"
  // "none": never run (every journal is on this card only); "disk_missing": the latest run
  // found no backup disk; "failed": the latest run failed otherwise; "check_failed": the
  // latest check or test restore found damage; "stale": the last good backup is older than
  // 48 hours; "nearly_full": under 10 % of the target is free; "ok".
  std::string state = "none";
};

// Reads "finished_at" (RFC 3339 UTC), "ok", "duration_s", "snapshot", "bytes_added",
// "bytes_total", "snapshots", "error". Nothing for a missing or unreadable file.
std::optional<BackupRun> parseBackupStatus(const std::string& json);
// Reads "finished_at", "kind", "ok", "subset_percent", "sample", "error".
std::optional<BackupCheck> parseBackupCheck(const std::string& json);

class BackupMonitor {
 public:
  static constexpr int64_t kStaleSeconds = 48 * 3600;
  static constexpr int kNearlyFullPercent = 10;

  // The files nestbox-backup writes: `<data_dir>/backup-status.json` after each run and
  // `<data_dir>/backup-check.json` after each check.
  BackupMonitor(Context& ctx, std::string statusFile, std::string checkFile)
      : ctx_(ctx), statusFile_(std::move(statusFile)), checkFile_(std::move(checkFile)) {}
  // Audits a run or check not seen before. The daemon calls it every second: when neither
  // file's content changed since the last call, it looks no further.
  void tick();
  // Managers: the latest run, the latest good one, and the state for the banner.
  BackupOverview overview(const Principal& manager);
  // The same, without the role check (the managers' home has checked it).
  BackupOverview current();

 private:
  std::optional<BackupRun> lastAudited(bool goodOnly);
  std::optional<BackupCheck> lastAuditedCheck(const std::string& kind = {});

  Context& ctx_;
  std::string statusFile_;
  std::string checkFile_;
  std::string lastSeen_;  // both files' content at the last tick
};

}  // namespace nestbox::domain
