#pragma once
// The storage contract of erasure (issue 21). Implemented by SqliteStore; the same
// transaction() covers it, so an erasure commits whole or not at all. The rule of what goes
// is the service's (domain/erasure.hpp); this is where every table that can hold a child's or
// a family's data is named — tests/unit/erasure_test.cpp walks the whole schema after an
// erasure, so a table a later issue adds and forgets here fails it.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nestbox::storage {

// What an erasure removed, in numbers only (the audit entry names no one).
struct ErasureCounts {
  int entriesRemoved = 0;  // entries only about the child, and everything an erased account wrote
  int mediaRemoved = 0;    // items that showed no other child
  int mediaMarked = 0;     // shared items that keep the anonymous marker
  int accountsErased = 0;
  int exportsRemoved = 0;
};

// Files the rows named, removed by the caller once the transaction has committed (a media
// hash only when no row refers to it any more).
struct ErasureFiles {
  std::vector<std::string> hashes;
  std::vector<std::string> exportIds;
};

struct LedgerRecord {
  std::string hash;   // HMAC-SHA-256 of the id under the key `keyId`
  std::string kind;   // child, user
  std::string keyId;
  int64_t erasedAt = 0;
};

struct ErasureReviewRecord {
  std::string entryId;
  std::string title;
  std::string observedOn;
  std::string erasureId;
  int64_t erasedAt = 0;
};

struct ErasedMediaRecord {  // a shared item still showing an erased child (marker "shown")
  std::string mediaId;
  std::optional<std::string> entryId;
  std::optional<std::string> entryTitle;
};

struct ErasureRequestRecord {
  std::string id;
  std::string childId;
  std::string requestedBy;
  int64_t requestedAt = 0;
  std::string note;
};

class ErasureStore {
 public:
  virtual ~ErasureStore() = default;

  // In the caller's transaction. Removes the child and every row about them, and the accounts
  // `accountIds` (parents whose last child this is) with everything they wrote: entries only
  // about the child go whole (with media, comments, versions); in shared entries the child's
  // receipt, tags and thread go and earlier versions forget them; media that showed no other
  // child go, shared media keep the anonymous marker; consents, invitations, exports,
  // requests, child-view sessions. Nothing else changes.
  virtual ErasureCounts eraseChildRows(const std::string& childId, const std::vector<std::string>& accountIds,
                                       ErasureFiles& files) = 0;
  // The same for one account alone (the ledger met an account a restore brought back).
  virtual ErasureCounts eraseAccountRows(const std::string& userId, ErasureFiles& files) = 0;
  // The one way an audit row changes (the trigger refuses every other): rows that name a
  // value (an id, a username, a name, an email) as actor, within their target (a refused
  // route's path) or within their detail get
  // its pseudonym instead; time, event, address and sequence stay. In the caller's
  // transaction. Returns how many rows changed.
  virtual int pseudonymiseAudit(const std::vector<std::pair<std::string, std::string>>& valueToPseudonym) = 0;

  // Entries (not those of `exceptChild`) whose title, text or next steps contain `text`,
  // case-insensitively: candidates the caller checks word by word.
  virtual std::vector<std::pair<std::string, std::string>> entriesContaining(const std::string& text) = 0;  // id, text
  virtual void addReview(const std::string& entryId, const std::string& erasureId, int64_t at) = 0;
  virtual std::vector<ErasureReviewRecord> reviews() = 0;
  // Marks the entry reviewed and removes its earlier versions (their wording may name the
  // erased child); false when it was not waiting for review.
  virtual bool resolveReview(const std::string& entryId) = 0;
  virtual std::vector<ErasedMediaRecord> mediaShowingErased() = 0;

  virtual void addLedger(const LedgerRecord& record) = 0;  // an existing hash is kept
  virtual std::vector<LedgerRecord> ledger() = 0;
  virtual void putLedgerKey(const std::string& keyId, const std::string& secret) = 0;
  virtual std::vector<std::pair<std::string, std::string>> ledgerKeys() = 0;  // key id, secret

  virtual void putErasureRequest(const ErasureRequestRecord& request) = 0;  // DuplicateError: one per child
  virtual std::optional<ErasureRequestRecord> erasureRequest(const std::string& childId) = 0;
  virtual std::vector<ErasureRequestRecord> erasureRequests() = 0;
  virtual void deleteErasureRequest(const std::string& childId) = 0;

  // Records that the leavers job archived the child (audited once).
  virtual void markArchived(const std::string& childId, int64_t at) = 0;

  // After an erasure: the log's frames written back and the file rebuilt, so no freed page
  // keeps what was erased (secure_delete zeroes them as they are freed, too).
  virtual void compact() = 0;
};

}  // namespace nestbox::storage
