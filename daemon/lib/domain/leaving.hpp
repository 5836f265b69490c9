#pragma once
// When a leaver's journal ends (issue 21; policies 000 and 001: the journal ceases when the
// child leaves and a download is offered; then everything is deleted). Pure: the caller passes
// the setting's today and windows, so the rule is tested on its own and every service that
// asks (access, recording, the leavers job, the screens) gets the same answer.
//
// The leaving date is the child's last day at the setting. Then:
//   leaving   until and on the leaving date: a current child;
//   left      the `readDays` after it: no new entries; the family reads and downloads;
//   archived  the `archiveDays` after that: families see nothing; a manager may restore it;
//   due       from `eraseOn`: the leavers job erases it.

#include <optional>
#include <string>

namespace nestbox::domain {

enum class LeavingPhase { leaving, left, archived, due };

const char* leavingPhaseName(LeavingPhase phase);

struct Leaving {
  LeavingPhase phase = LeavingPhase::leaving;
  std::string leftOn;     // the last day at the setting
  std::string readUntil;  // the family's last day of reading and downloading
  std::string eraseOn;    // the day the journal is erased
  // leaving: days until the leaving date; left: days of reading left, today included;
  // archived: days until it is erased; due: 0.
  int daysLeft = 0;
};

// Nothing for a child with no leaving date. All dates "YYYY-MM-DD", the setting's.
std::optional<Leaving> leavingOf(const std::optional<std::string>& leftOn, const std::string& today, int readDays,
                                 int archiveDays);

// After the leaving date no new entries name the child (also true while archived or due).
inline bool hasLeft(const std::optional<Leaving>& l) { return l && l->phase != LeavingPhase::leaving; }
// Families no longer see the child: archived or due for erasure.
inline bool isArchived(const std::optional<Leaving>& l) {
  return l && (l->phase == LeavingPhase::archived || l->phase == LeavingPhase::due);
}

}  // namespace nestbox::domain
