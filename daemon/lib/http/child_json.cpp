#include "http/child_json.hpp"

#include "http/json_out.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {
}  // namespace

Json leavingJson(const std::optional<domain::Leaving>& l) {
  if (!l) return nullptr;
  // "due" is a moment between the day it falls due and the leavers job's next run: archived.
  const auto phase = l->phase == domain::LeavingPhase::due ? domain::LeavingPhase::archived : l->phase;
  return {{"phase", domain::leavingPhaseName(phase)}, {"left_on", l->leftOn}, {"read_until", l->readUntil},
          {"erase_on", l->eraseOn}, {"days_left", l->daysLeft}};
}

Json childJson(const storage::ChildRecord& c, bool full, const std::optional<domain::Leaving>& leaving) {
  Json out = {{"id", c.id}, {"first_name", c.firstName}, {"last_name", c.lastName}, {"room_id", c.roomId},
              {"date_of_birth", c.dateOfBirth}, {"left_on", optionalJson(c.leftOn)}, {"leaving", leavingJson(leaving)}};
  if (full) {
    out["key_person_id"] = optionalJson(c.keyPersonId);
    out["started_on"] = c.startedOn;
  }
  return out;
}

Json consentJson(const storage::ConsentRecord& c) {
  return {{"own_journal_photos", c.ownJournalPhotos}, {"other_journals", c.otherJournals},
          {"online_journal_opt_out", c.onlineJournalOptOut}, {"note", c.note},
          {"recorded_by", c.recordedBy.empty() ? Json(nullptr) : Json(c.recordedBy)},
          {"recorded_at", c.recordedAt ? Json(system::formatTimestamp(c.recordedAt)) : Json(nullptr)}};
}

}  // namespace nestbox::http
