#pragma once
// Data has an end (issue 21; PRODUCT.md rule 11; policies 000 and 001): a leaver's journal is
// archived and then erased on the setting's clock, a manager erases a child on request, and a
// restored backup never brings an erased child back.
//
// An erasure removes, in one transaction (storage/erasure_store.hpp names every table): the
// child's record, entries only about them, their receipt of shared entries and their threads,
// consent records, invitations, exports, media that show no other child, and each parent
// account whose last child this is (username, name, email, sessions, everything it wrote).
// Then:
// - a shared photo keeps an anonymous "an erased child is in this" marker that the consent
//   rule obeys (media_consent.hpp): other families get only a copy that obscures them;
// - other children's entries whose text may name the child are listed for a manager to
//   review (the box cannot judge prose); reviewing one drops its earlier wording;
// - the audit log stays append-only except for one narrow path: earlier rows naming the
//   erased people get a stable pseudonym;
// - the erasure ledger (erasure_ledger.hpp) gets keyed hashes of the erased ids;
// - files go after the commit (media no row names, exports), and the database is compacted
//   so no freed page keeps a name. (nestbox-backup leaves no copy of the database behind a run;
//   backups themselves keep erased data until their retention forgets it.)
// The erasure itself is audited with counts only.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/children.hpp"
#include "domain/context.hpp"
#include "domain/erasure_ledger.hpp"
#include "domain/settings.hpp"
#include "storage/erasure_store.hpp"
#include "storage/journal_store.hpp"
#include "storage/media_files.hpp"

namespace nestbox::domain {

// What a manager gives to erase: their own password and PIN, and the child's name typed.
struct ErasureConfirmation {
  std::string password;
  std::string pin;
  std::string confirm;  // "First Last", as the box shows it (case and spacing do not matter)
};

struct ErasureResult {
  std::string id;  // the erasure's own id (random; names no one)
  storage::ErasureCounts counts;
  int reviews = 0;  // other entries listed for review
};

struct ErasureRequestView {
  storage::ErasureRequestRecord record;
  std::string childName;
  std::string requestedByName;
};

struct ErasureReviews {
  std::vector<storage::ErasureReviewRecord> entries;
  std::vector<storage::ErasedMediaRecord> media;
};

class ErasureService {
 public:
  ErasureService(Context& ctx, storage::JournalStore& journal, storage::ErasureStore& store, ChildrenService& children,
                 SettingsService& settings, storage::MediaFiles& files, ErasureLedger& ledger)
      : ctx_(ctx), journal_(journal), store_(store), children_(children), settings_(settings), files_(files),
        ledger_(ledger) {}

  // Called with the child's id before the rows go (the daemon stops exports being made that
  // hold the child).
  void beforeErasing(std::function<void(const std::string& childId)> hook) { beforeErasing_ = std::move(hook); }

  // A manager, with their password, PIN and the child's name typed (401 wrong credentials,
  // 403 no PIN, 422 wrong name, 429 after repeated failures).
  ErasureResult erase(const Principal& manager, const std::string& childId, const ErasureConfirmation& confirmation);

  // A manager restores a leaver (archived or not yet): the leaving date is cleared.
  storage::ChildRecord restore(const Principal& manager, const std::string& childId);

  // A parent asks for their own child's data to be erased (policy 000: on request); the
  // manager erases. One request per child (409).
  storage::ErasureRequestRecord requestErasure(const Principal& parent, const std::string& childId, const std::string& note);
  void withdrawRequest(const Principal& parent, const std::string& childId);
  std::optional<storage::ErasureRequestRecord> requestOf(const Principal& parent, const std::string& childId);
  std::vector<ErasureRequestView> requests(const Principal& manager);

  ErasureReviews reviews(const Principal& manager);
  // The entry has been checked (and edited where it named the child): off the list, and its
  // earlier versions removed.
  void reviewed(const Principal& manager, const std::string& entryId);
  // For the managers' home: reviews waiting (entries and photos) and requests.
  std::pair<int, int> counts();

  // The leavers job: archives journals whose reading window ended (audited once), and erases
  // those whose countdown ended. Returns a summary for the audit log.
  Json runLeavers();
  // At start and after a restore: merges the ledger and erases again whatever it names.
  // Returns how many children and accounts it erased.
  int reapplyLedger();

 private:
  // `compact`: rebuild the database afterwards (a job erasing several compacts once, at the end).
  ErasureResult eraseChild(const storage::ChildRecord& child, const AuditActor& actor, const std::string& reason,
                           bool compact = true);
  void afterCommit(const storage::ErasureFiles& files, bool compact);
  // What names a person in the audit log (their id, and `names`), each with their pseudonym.
  std::vector<std::pair<std::string, std::string>> pseudonymsOf(const std::string& id,
                                                                const std::vector<std::string>& names);
  // An account: its id, username, display name and email.
  std::vector<std::pair<std::string, std::string>> pseudonymsOf(const storage::UserRecord& user);
  void checkManager(const Principal& manager, const ErasureConfirmation& confirmation, const std::string& childName);

  Context& ctx_;
  storage::JournalStore& journal_;
  storage::ErasureStore& store_;
  ChildrenService& children_;
  SettingsService& settings_;
  storage::MediaFiles& files_;
  ErasureLedger& ledger_;
  std::function<void(const std::string&)> beforeErasing_;
  std::mutex mutex_;  // one erasure at a time
};

// "Ava  smith " and "ava Smith" are the same name typed.
std::string normaliseTypedName(const std::string& typed);

}  // namespace nestbox::domain
