#pragma once
// The managers' home as a to-do list (issue 16): counts that link to the work, read in one go
// from the store with the setting's days (its time zone), plus the lockdown state, the data
// disk, the last backup and the family links waiting for a manager's confirmation.

#include "domain/backups.hpp"
#include "domain/children.hpp"
#include "domain/devices.hpp"
#include "domain/invitations.hpp"
#include "domain/lockdown.hpp"
#include "domain/media.hpp"
#include "domain/remote_access.hpp"

namespace nestbox::domain {

struct ManagerSummary {
  storage::HomeCounts counts;
  int invitationsOpen = 0;
  int linksWaiting = 0;
  bool lockdown = false;
  SpaceReport storage;
  BackupOverview backups;
  // Sign-ins from outside the setting's network (issue 31), per day of the setting's last
  // kOutsideDays days, oldest first: {date "YYYY-MM-DD", count}.
  std::vector<std::pair<std::string, int64_t>> outsideSignIns;
  RemoteAccessView remote;  // remote access and its certificate's alert (issue 31)
};

class ManagerHome {
 public:
  // Children not observed for this many days are named; tablets not seen for this many.
  static constexpr int kNotObservedDays = ChildrenService::kNotObservedDays;
  static constexpr int kNotSeenDays = DeviceService::kNotSeenDays;
  static constexpr int kOutsideDays = 7;

  ManagerHome(Context& ctx, storage::JournalStore& journal, SettingsService& settings, ChildrenService& children,
              InvitationService& invitations, LockdownService& lockdown, MediaService& media, BackupMonitor& backups,
              RemoteAccess& remote)
      : ctx_(ctx), journal_(journal), settings_(settings), children_(children), invitations_(invitations),
        lockdown_(lockdown), media_(media), backups_(backups), remote_(remote) {}

  ManagerSummary summary(const Principal& p);

 private:
  Context& ctx_;
  storage::JournalStore& journal_;
  SettingsService& settings_;
  ChildrenService& children_;
  InvitationService& invitations_;
  LockdownService& lockdown_;
  MediaService& media_;
  BackupMonitor& backups_;
  RemoteAccess& remote_;
};

}  // namespace nestbox::domain
