#pragma once
// Who may see what: the one definition of visibility (issue 13). Every service asks here, and
// the SQL that filters the lists families and child view get is made here and nowhere else
// (tests/unit/access_policy_test.cpp scans the sources for visibility SQL elsewhere). The pure
// consent rule for pixels it applies lives in media_consent.hpp.
//
// The rules (PRODUCT.md rules 1, 2, 4, 5 and 9; policies 000–004):
// - Staff and managers (not in child view) see every child, entry, thread and media item, the
//   original while it is kept.
// - A parent sees the children a manager attached to their account (until a leaver's journal is
//   archived: leaving.hpp), and an entry when it is in
//   the journal and one of those children receives it — it is about them, or was posted to the
//   room they were in when it was posted — that child is not opted out of the online journal,
//   and it is released for the room the child was in when the entry was made. Also their own
//   home observations, in any state.
// - A comment thread is (entry, child) for a child who receives the entry. A parent reaches
//   only their own child's thread, and only while the entry is visible through that child.
// - Media: a family gets the copy consent allows today (media_consent), of items in entries they
//   see and of their own uploads; child view gets what the child's family would.
// - Child view: the one child's entries in the journal, shaped as their family sees them.
// - Anything a viewer may not see is answered exactly as if it did not exist.
// - Recording (entries, and staff uploads) needs a registered tablet on a secure network.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/events.hpp"
#include "domain/context.hpp"
#include "domain/leaving.hpp"
#include "domain/media_consent.hpp"
#include "domain/principal.hpp"
#include "domain/settings.hpp"
#include "storage/journal_store.hpp"

namespace nestbox::domain {

// Who will see a media item tagged with some children, for the staff editor: the server's
// answer, so the client holds no copy of the rule.
struct MediaAudience {
  std::vector<std::string> tagged;  // as asked, without repeats
  bool everyone = false;            // nobody tagged: every family who sees the entry
  std::vector<std::string> seenBy;  // families (by their child) who will see it
  struct Refused {
    std::string childId;
    std::string reason;  // no_photo_consent, opted_out
  };
  // Tags the box refuses unless the child is obscured in the redacted copy.
  std::vector<Refused> refused;
  struct Obscure {
    std::string childId;                  // may not appear in other children's journals
    std::vector<std::string> hiddenFrom;  // families who will not see it unless this child is obscured
  };
  std::vector<Obscure> obscure;
};

class AccessPolicy {
 public:
  AccessPolicy(Context& ctx, storage::JournalStore& journal, SettingsService& settings)
      : ctx_(ctx), journal_(journal), settings_(settings) {}

  // Who is asking, gathered once per request rather than per record.
  struct Viewer {
    const Principal& principal;
    bool staff = false;             // staff or manager, not in child view: sees everything
    std::set<std::string> family;   // parents: their children; child view: the one child
    std::map<std::string, storage::ConsentRecord> consents;  // filled as met
  };
  Viewer viewer(const Principal& p);
  // Staff or manager, and not a tablet in child view.
  static bool isStaff(const Principal& p);
  // The children whose journal `p` sees as a family: a parent's own, child view's one child;
  // none for staff (who see everyone's).
  std::set<std::string> family(const Principal& p);
  // Where a child is in leaving (nothing for a current child), by the setting's today and
  // windows. Archived children are no family's: they leave family() and the family SQL.
  std::optional<Leaving> leavingOf(const storage::ChildRecord& child);

  bool mayViewChild(const Principal& p, const std::string& childId);
  bool mayViewEntry(const Principal& p, const storage::EntryRecord& entry);
  // The conversation exists (the child receives the entry) and `p` may read and write it.
  bool mayViewThread(const Principal& p, const storage::EntryRecord& entry, const std::string& childId);
  // Which copy of an item `p` may have: none when they may not see it at all.
  MediaCopy mediaCopy(const Principal& p, const storage::MediaRecord& media);

  // What a family or child view may see of an entry they may see: only their own children
  // named, no review notes, only the media consent allows today (without hashes, uploader or
  // obscured marks). Staff get it whole.
  void shape(Viewer& viewer, storage::EntryRecord& entry);

  // The entries in parent `p`'s feed (of one of their children, when given).
  storage::SqlFilter familyEntries(const Principal& p, const std::optional<std::string>& childId, int64_t now);
  // The entries a tablet in child view of `childId` shows.
  storage::SqlFilter childViewEntries(const std::string& childId) const;

  // Who receives `entry`, as it is about to be written; `before` is the stored entry when it is
  // amended. Children keep the room they were in when they first received it; a room post's
  // recipients are the room's children when it enters the journal (or when its room changes).
  std::vector<storage::EntryAudienceRecord> audienceFor(const storage::EntryRecord& entry,
                                                        const storage::EntryRecord* before);

  // For the staff editor: who sees `media` if it is tagged with `childIds`.
  MediaAudience mediaAudience(const storage::MediaRecord& media, const std::vector<std::string>& childIds);

  // Recording (journal entries, staff uploads) happens only on a registered tablet on one of
  // the setting's secure networks (policies 002, 004). Parents record at home. A refusal is
  // audited as `refusal` (what was refused: an upload or an entry).
  void requireRecordingPlace(const Principal& p, Event refusal);

 private:
  storage::ConsentRecord consentOf(Viewer& viewer, const std::string& childId);
  storage::ConsentRecord consentOf(const std::string& childId);

  Context& ctx_;
  storage::JournalStore& journal_;
  SettingsService& settings_;
};

}  // namespace nestbox::domain
