#pragma once
// The setting (the nursery or school): its name, curriculum framework, password rules and
// session timeouts. Read on every request, so the current record is cached in memory.

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "domain/calendar.hpp"
#include "domain/context.hpp"
#include "security/subnets.hpp"
#include "storage/records.hpp"

namespace nestbox::domain {

struct SettingsChange {
  std::optional<std::string> name;
  std::optional<std::string> framework;
  std::optional<bool> passwordRequireMixed;
  std::optional<bool> keepUnredactedOriginals;
  std::optional<int> redactionMarginPct;      // 0-50: the margin around a covered person
  std::optional<int> rememberDays;            // 30-180: how long a family's remembered phone stays signed in
  std::optional<bool> outsideManagerRead;  // managers may read the journal from outside (issue 31)
  std::optional<std::string> secureSubnets;  // comma- or newline-separated networks
  std::optional<std::string> timeZone;       // an IANA name, e.g. Europe/London
  std::optional<int64_t> storageReserveMiB;  // 0: the default (the larger of 2 GiB and 5 %)
  std::optional<int> invitationDays;            // how long a family invitation works, 1-90
  std::optional<std::string> exportReminderOn;  // "MM-DD"; "" turns the reminder off
  std::optional<int> leaverReadDays;             // 7-365: a leaver's family reads this long
  std::optional<int> leaverArchiveDays;          // 7-365: then archived this long, then erased
  std::optional<int> passwordMaxAgeDays;
  std::optional<int> idleMinutesManager, idleMinutesStaff, idleMinutesParent;
  std::optional<int> absoluteHoursManager, absoluteHoursStaff, absoluteHoursParent;
};

bool isKnownFramework(const std::string& framework);
std::optional<std::string> checkSettingName(const std::string& name);

class SettingsService {
 public:
  explicit SettingsService(Context& ctx) : ctx_(ctx) {}

  // Nothing until setup has created the setting.
  std::optional<storage::SettingRecord> current();
  storage::SettingRecord update(const Principal& actor, const SettingsChange& change);
  // Writes the whole record (setup, agreement changes) and refreshes the cache.
  void save(const storage::SettingRecord& record);

  int idleMinutesFor(Role role);
  int absoluteHoursFor(Role role);
  security::PasswordRules passwordRules();
  int passwordMaxAgeDays();
  int agreementVersion();
  // Managers may sign in from outside the setting's network to read (domain/outside_access.hpp).
  bool outsideManagerRead();
  // The margin around a covered person in a redacted copy, % of the area's size (issue 32).
  int redactionMarginPct();
  int rememberDays();
  // True when `address` is on one of the setting's secure networks (staff uploads).
  bool isSecureAddress(const std::string& address);
  // The setting's calendar (its time zone; Europe/London before setup): every day, week and
  // term the box reasons about.
  Calendar calendar();
  // The setting's local date at `now`, "YYYY-MM-DD".
  std::string today(int64_t now);
  // The space to keep free on a data disk of `totalBytes`: the setting's, or the larger of
  // 2 GiB and 5 % of the disk.
  int64_t storageReserve(int64_t totalBytes);

 private:
  Context& ctx_;
  // The current record, shared: readers keep a pointer, writers replace it.
  std::shared_ptr<const storage::SettingRecord> snapshot();

  std::mutex mutex_;
  std::shared_ptr<const storage::SettingRecord> cache_;
  bool loaded_ = false;
};

}  // namespace nestbox::domain
