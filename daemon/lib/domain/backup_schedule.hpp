#pragma once
// When backups run (issue 19): every day at the time a manager picks (02:00 by default), in
// the setting's time zone; the weekly check and the monthly test restore ride on a day's
// backup, after it. A box that was off at the time backs up once when it is on again (no
// catching up day by day). Pure rules: BackupService keeps the memory and acts.

#include <cstdint>
#include <optional>
#include <string>

#include "domain/calendar.hpp"

namespace nestbox::domain {

constexpr int kDefaultBackupMinute = 2 * 60;  // 02:00
constexpr int64_t kCheckEverySeconds = 7 * 86400;
constexpr int64_t kTestRestoreEverySeconds = 30 * 86400;
// Slots move by an hour at a clock change: "a week since the last check" allows for it.
constexpr int64_t kScheduleSlackSeconds = 6 * 3600;

// "HH:MM" (24-hour) to minutes after midnight; nothing for anything else.
std::optional<int> parseTimeOfDay(const std::string& text);
std::string formatTimeOfDay(int minuteOfDay);

// The latest slot (local `minuteOfDay` on some day) at or before `now`, and the first after it.
int64_t latestBackupSlot(int64_t now, int minuteOfDay, const Calendar& calendar);
int64_t nextBackupSlot(int64_t now, int minuteOfDay, const Calendar& calendar);

struct ScheduleMemory {
  int64_t since = 0;  // when backups were set up: no slot before it is owed
  std::optional<int64_t> lastSlot;         // the slot whose backup was last asked for
  std::optional<int64_t> lastCheck;        // when the last weekly check was asked for
  std::optional<int64_t> lastTestRestore;  // when the last monthly test restore was asked for
};

struct DueWork {
  bool backup = false;
  bool check = false;        // only with a backup, after it
  bool testRestore = false;  // only with a backup, after it
  int64_t slot = 0;          // the slot the backup is for
};

DueWork dueBackupWork(int64_t now, int minuteOfDay, const Calendar& calendar, const ScheduleMemory& memory);

}  // namespace nestbox::domain
