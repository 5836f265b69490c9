#include "domain/retention.hpp"

namespace nestbox::domain {
namespace {
std::string days(int n) { return std::to_string(n) + (n == 1 ? " day" : " days"); }
}  // namespace

std::vector<RetentionRule> retentionRules(const storage::SettingRecord& s) {
  return {
      {"leaver_reading", "A leaver's journal, for their family",
       days(s.leaverReadDays) + " after the leaving date",
       "Archived: the family no longer sees it. Nothing new is recorded after the leaving date."},
      {"leaver_archive", "An archived leaver's journal", days(s.leaverArchiveDays),
       "Erased with its photos, consent records and the family's account (if it has no other child), "
       "unless a manager restores it. Audited."},
      {"erasure_request", "A child's data a family asks to erase", "Until a manager erases it",
       "Erased at once, as above. Audited without naming anyone."},
      {"exports", "Finished journal downloads", "7 days", "Deleted. Audited."},
      {"uploads", "Unfinished uploads", "24 hours", "Deleted."},
      {"sessions", "Ended sign-ins", "30 days", "Deleted."},
      {"codes", "Expired one-time codes", "Until they expire (reset codes: a month)", "Deleted."},
      {"device_reports", "Reports of lost or stolen devices", "Kept", "Never deleted (rule 6)."},
      {"audit_log", "The audit log", "Kept", "Never deleted (rule 8); erased people appear under a pseudonym."},
      {"system_logs", "The box's own logs (the daemon's and the web server's, with record ids and addresses)",
       "14 days", "Deleted a day at a time by the system journal. Addresses asked for are logged without their query strings."},
      {"backups", "Backups", "7 daily, 4 weekly and 12 monthly",
       "Older ones are deleted. Erased data stays in backups taken before the erasure until they are; "
       "a restore erases it again."},
  };
}

}  // namespace nestbox::domain
