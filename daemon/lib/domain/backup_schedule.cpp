#include "domain/backup_schedule.hpp"

#include <cstdio>

namespace nestbox::domain {

std::optional<int> parseTimeOfDay(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::string formatTimeOfDay(int minuteOfDay) {
  char out[8];
  std::snprintf(out, sizeof out, "%02d:%02d", (minuteOfDay / 60) % 24, minuteOfDay % 60);
  return out;
}

int64_t latestBackupSlot(int64_t now, int minuteOfDay, const Calendar& calendar) {
  const std::string today = calendar.dateOf(now);
  const int64_t slot = calendar.instantOf(today, minuteOfDay);
  return slot <= now ? slot : calendar.instantOf(Calendar::addDays(today, -1), minuteOfDay);
}

int64_t nextBackupSlot(int64_t now, int minuteOfDay, const Calendar& calendar) {
  const std::string today = calendar.dateOf(now);
  const int64_t slot = calendar.instantOf(today, minuteOfDay);
  return slot > now ? slot : calendar.instantOf(Calendar::addDays(today, 1), minuteOfDay);
}

DueWork dueBackupWork(int64_t now, int minuteOfDay, const Calendar& calendar, const ScheduleMemory& memory) {
  DueWork due;
  due.slot = latestBackupSlot(now, minuteOfDay, calendar);
  due.backup = due.slot > memory.since && (!memory.lastSlot || due.slot > *memory.lastSlot);
  if (!due.backup) return due;
  due.check = now - memory.lastCheck.value_or(memory.since) >= kCheckEverySeconds - kScheduleSlackSeconds;
  due.testRestore = now - memory.lastTestRestore.value_or(memory.since) >= kTestRestoreEverySeconds - kScheduleSlackSeconds;
  return due;
}

}  // namespace nestbox::domain
