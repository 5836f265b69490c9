#include "domain/leaving.hpp"

#include "domain/calendar.hpp"

namespace nestbox::domain {

const char* leavingPhaseName(LeavingPhase phase) {
  switch (phase) {
    case LeavingPhase::leaving: return "leaving";
    case LeavingPhase::left: return "left";
    case LeavingPhase::archived: return "archived";
    case LeavingPhase::due: return "due";
  }
  return "leaving";
}

std::optional<Leaving> leavingOf(const std::optional<std::string>& leftOn, const std::string& today, int readDays,
                                 int archiveDays) {
  if (!leftOn || leftOn->empty()) return std::nullopt;
  Leaving l;
  l.leftOn = *leftOn;
  l.readUntil = Calendar::addDays(*leftOn, readDays);
  l.eraseOn = Calendar::addDays(l.readUntil, archiveDays + 1);
  if (today <= l.leftOn) {
    l.phase = LeavingPhase::leaving;
    l.daysLeft = Calendar::daysBetween(today, l.leftOn);
  } else if (today <= l.readUntil) {
    l.phase = LeavingPhase::left;
    l.daysLeft = Calendar::daysBetween(today, l.readUntil) + 1;
  } else if (today < l.eraseOn) {
    l.phase = LeavingPhase::archived;
    l.daysLeft = Calendar::daysBetween(today, l.eraseOn);
  } else {
    l.phase = LeavingPhase::due;
  }
  return l;
}

}  // namespace nestbox::domain
