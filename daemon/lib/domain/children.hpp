#pragma once
// Rooms (with their release schedules), children, the parent accounts attached to each
// child, the consent register and the parent agreement. Managers change these (the policies
// make them responsible for attaching the right child to each parent account); staff read
// them; a parent sees only their own children.

#include <mutex>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/access_policy.hpp"
#include "domain/context.hpp"
#include "domain/settings.hpp"
#include "storage/journal_store.hpp"

namespace nestbox::domain {

struct NewChild {
  std::string firstName, lastName, dateOfBirth, roomId, startedOn;
  std::optional<std::string> keyPersonId;
  std::optional<std::string> leftOn;
};

struct ChildChange {
  std::optional<std::string> firstName, lastName, dateOfBirth, roomId, startedOn;
  std::optional<std::string> keyPersonId;  // "" removes the key person
  std::optional<std::string> leftOn;       // "" clears the leaving date
};

struct ConsentChange {
  bool ownJournalPhotos = false;
  bool otherJournals = false;
  bool onlineJournalOptOut = false;
  std::string note;
};

struct Agreement {
  int version = 1;
  std::string text;
  bool accepted = false;  // by the asking parent
};

// "YYYY-MM-DD" that is a real calendar date.
bool isDate(const std::string& text);

class ChildrenService {
 public:
  ChildrenService(Context& ctx, storage::JournalStore& journal, SettingsService& settings, AccessPolicy& access)
      : ctx_(ctx), journal_(journal), settings_(settings), access_(access) {}

  std::vector<storage::RoomRecord> rooms(const Principal& p);
  storage::RoomRecord createRoom(const Principal& p, const std::string& name, const std::string& releaseMode);
  storage::RoomRecord updateRoom(const Principal& p, const std::string& roomId, const std::optional<std::string>& name,
                                 const std::optional<std::string>& releaseMode);
  std::vector<storage::ReleasePointRecord> releases(const Principal& p, const std::string& roomId);
  void scheduleRelease(const Principal& p, const std::string& roomId, int64_t at);
  void unscheduleRelease(const Principal& p, const std::string& roomId, int64_t at);
  void releaseNow(const Principal& p, const std::string& roomId);

  // Children not observed for this many days are on the managers' to-do (issue 16).
  static constexpr int kNotObservedDays = 14;

  // Staff and managers: all (filtered); parents: their own children only, whatever the query.
  // The to-do's filters (query.needs, issue 32) are a manager's: anyone else is refused.
  std::vector<storage::ChildRecord> children(const Principal& p, const storage::ChildQuery& query);
  // A child another family asks for is "not found", exactly like one that does not exist.
  storage::ChildRecord child(const Principal& p, const std::string& childId);
  storage::ChildRecord createChild(const Principal& p, const NewChild& child);
  storage::ChildRecord updateChild(const Principal& p, const std::string& childId, const ChildChange& change);
  std::vector<storage::UserRecord> carers(const Principal& p, const std::string& childId);
  void linkCarer(const Principal& p, const std::string& childId, const std::string& parentId);
  void unlinkCarer(const Principal& p, const std::string& childId, const std::string& parentId);

  // Staff and managers read; a parent their own child's; managers record. A child with no
  // record has consented to nothing.
  storage::ConsentRecord consent(const Principal& p, const std::string& childId);
  // Staff: the current consent of each of `children` (recordedAt 0 where none is recorded).
  std::map<std::string, storage::ConsentRecord> consents(const Principal& p,
                                                         const std::vector<storage::ChildRecord>& children);
  storage::ConsentRecord recordConsent(const Principal& p, const std::string& childId, const ConsentChange& change);
  // A parent opts their own child out of the online journal (policy 000: at any time). It
  // takes effect at once, as the register's opt-out does; opting back in is the setting's to
  // record. Already opted out: the record as it is.
  storage::ConsentRecord optOut(const Principal& parent, const std::string& childId);
  std::vector<storage::ConsentRecord> consentHistory(const Principal& p, const std::string& childId);

  Agreement agreement(const Principal& p);
  Agreement changeAgreement(const Principal& p, const std::string& text);
  void acceptAgreement(const Principal& p, int version);
  // Parents must accept the current agreement before they see any journal content.
  void requireAgreement(const Principal& p);

  bool isCarer(const std::string& parentId, const std::string& childId);
  // Where the child is in leaving, by the setting's today and windows (nothing: current).
  std::optional<Leaving> leaving(const storage::ChildRecord& child) { return access_.leavingOf(child); }
  // Recording: after a child's leaving date no new entry names them (unprocessable,
  // child_left). `already` are the children the entry named before (an amendment).
  void requirePresent(const std::vector<std::string>& childIds, const std::vector<std::string>& already = {});
  void requireStaff(const Principal& p);
  void requireManager(const Principal& p);
  // The record, or not found. No access check: for callers that already made one (an export
  // naming the children its requester was allowed).
  storage::RoomRecord requireRoom(const std::string& roomId);
  storage::ChildRecord requireChild(const std::string& childId);

 private:
  void checkKeyPerson(const std::optional<std::string>& userId);

  Context& ctx_;
  storage::JournalStore& journal_;
  SettingsService& settings_;
  AccessPolicy& access_;
  // Acceptances are only ever added, so a remembered "yes" stays true; asked on every
  // parent request, hence kept here rather than read from the database each time.
  std::mutex acceptedMutex_;
  std::set<std::pair<std::string, int>> accepted_;
};

extern const char* const kDefaultParentAgreement;

}  // namespace nestbox::domain
