#pragma once
// The manager's side of backups (issue 19): where they go, the recovery key, the daily time,
// "back up now", and restoring a fresh box from its setup page. Everything that needs root
// (disks, the key, restic) is asked of the backup agent (system/backup_agent.hpp) and
// answered asynchronously: each action returns the agent request for the page to follow.
//
// The recovery key is made here from the CSPRNG, shown once, and handed to the agent only
// after the manager has typed two of its groups back; nestboxd keeps no copy. The schedule
// runs here (tick(), from the daemon's one-second loop) so tests move the clock instead of
// waiting, and so scheduled backups carry on during a lockdown: the data is what a fault puts
// at risk. A failing backup never holds up the journal: nothing here waits for the agent.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/backup_schedule.hpp"
#include "domain/backups.hpp"
#include "domain/context.hpp"
#include "domain/principal.hpp"
#include "domain/settings.hpp"
#include "domain/setup.hpp"
#include "system/backup_agent.hpp"

namespace nestbox::domain {

// Where backups go: "usb" (the disk prepared for Nestbox that is plugged in) or "directory"
// (an absolute path IT support has allowed on the box).
struct BackupTarget {
  std::string kind;
  std::string path;  // directory only
  std::string agentValue() const { return kind == "usb" ? "usb" : path; }
};

// A key made and shown, waiting for the manager to type part of it back.
struct PendingBackupKey {
  std::string id;
  std::string key;                  // grouped for reading: "ABCDE-FGHJK-..."
  std::vector<int> confirmGroups;   // 1-based
  int64_t expiresAt = 0;
};

struct BackupStatus {
  BackupOverview overview;
  bool configured = false;
  std::optional<BackupTarget> target;
  std::string time;  // "HH:MM"
  std::string timeZone;
  std::optional<int64_t> nextAt;
  std::optional<system::AgentReply> pending;  // the latest request still queued or running
};

class BackupService {
 public:
  static constexpr int kKeyBytes = 25;  // 200 bits: 40 characters, 8 groups of 5
  static constexpr int64_t kPendingKeySeconds = 30 * 60;
  static constexpr int64_t kDiskListFreshSeconds = 10 * 60;

  BackupService(Context& ctx, SettingsService& settings, SetupService& setup, BackupMonitor& monitor,
                system::BackupAgent& agent, std::string setupCodeFile)
      : ctx_(ctx), settings_(settings), setup_(setup), monitor_(monitor), agent_(agent),
        setupCodeFile_(std::move(setupCodeFile)) {}

  // Managers. Each throws DomainError (forbidden, invalid with a field, conflict).
  BackupStatus status(const Principal& manager);
  system::AgentReply listDisks(const Principal& manager);
  // `confirm` as typed: must name the disk as the latest listing does ("<model> <size> GB").
  system::AgentReply prepareDisk(const Principal& manager, const std::string& device, const std::string& confirm);
  // A new recovery key for `target`, daily at `time`; shown once.
  PendingBackupKey beginSetup(const Principal& manager, const BackupTarget& target, const std::string& time);
  // `typed`: the asked-for groups, in order (spaces and dashes ignored). Hands the key to the
  // agent, which stores it, prepares the repository and tests it.
  system::AgentReply confirmSetup(const Principal& manager, const std::string& id, const std::string& typed);
  system::AgentReply changeTarget(const Principal& manager, const BackupTarget& target);
  system::AgentReply test(const Principal& manager);
  system::AgentReply backUpNow(const Principal& manager);
  system::AgentReply listSnapshots(const Principal& manager);
  void setTime(const Principal& manager, const std::string& time);
  // A request a manager (or the schedule) made; notFound for others.
  system::AgentReply request(const Principal& manager, const std::string& id);

  // The setup page of a box not yet set up: the setup code is checked (and throttled) as
  // setup's own. The key is the recovery sheet's, as typed.
  system::AgentReply restoreDisks(const std::string& code, const RequestOrigin& origin);
  system::AgentReply restoreSnapshots(const std::string& code, const BackupTarget& target, const std::string& key,
                                      const RequestOrigin& origin);
  system::AgentReply restore(const std::string& code, const BackupTarget& target, const std::string& key,
                             const std::string& snapshot, const RequestOrigin& origin);
  // A request the setup page made (its id is the capability); notFound for any other.
  system::AgentReply setupRequest(const std::string& id);

  // True once a target and key are in place (the agent has taken them).
  bool configured();

  // The schedule: asks for the day's backup (then the weekly check and the monthly test
  // restore) when a slot has come. Called every second; cheap when nothing is due.
  void tick();

  // "ABCDE-FGHJK-..." → the key the agent stores: upper case, no separators, Crockford's
  // look-alikes folded (O→0, I/L→1). Nothing when it is not 40 base32 characters.
  static std::optional<std::string> normaliseKey(const std::string& typed);
  // Checks a target from a request: kind usb, or directory with a plain absolute path.
  static void checkTarget(const BackupTarget& target, const std::string& field);

 private:
  system::AgentReply submit(const std::string& op, const std::string& origin,
                            std::vector<std::pair<std::string, std::string>> fields = {});
  void checkSetupCode(const std::string& code, const RequestOrigin& origin);
  int minuteOfDay();
  std::optional<BackupTarget> target();
  ScheduleMemory memory();

  Context& ctx_;
  SettingsService& settings_;
  SetupService& setup_;
  BackupMonitor& monitor_;
  system::BackupAgent& agent_;
  std::string setupCodeFile_;
  std::optional<PendingBackupKey> pendingKey_;
  std::string pendingTarget_;  // the pending key's target and time, as stored once confirmed
  std::string pendingTime_;
  // A setup or target change handed to the agent: the box's target is what the agent took,
  // so it is recorded only once the agent has answered without refusing it.
  struct TargetChange {
    std::string requestId;
    std::string targetJson;
    std::optional<std::string> time;  // setup only
  };
  std::optional<TargetChange> targetChange_;
  void settleTargetChange();
  int wrongConfirmations_ = 0;
  std::optional<std::string> lastDisks_;  // the latest disk listing's request
  int64_t lastDisksAt_ = 0;
  std::optional<std::string> lastRequest_;  // for "pending" on the status
};

}  // namespace nestbox::domain
