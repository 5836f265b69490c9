#pragma once
// The erasure ledger (issue 21): which children and accounts were erased, as keyed hashes
// (HMAC-SHA-256 under a secret of this box), never their ids or names. It is kept twice: in
// the database, so every backup taken after an erasure carries it, and in a file beside the
// database (<data dir>/erasure-ledger), which `nestbox-backup restore` carries over from the
// box's own data into the restored one. At every start, and after a restore, the two are
// merged, and whatever a restored backup brought back is erased again (ErasureService).
//
// Keys: the box makes one on first use. A backup of another box (or of this one before its
// key) can bring another; every key met is kept, and an id is erased when its hash under any
// of them is in the ledger.

#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/erasure_store.hpp"
#include "system/random.hpp"

namespace nestbox::domain {

class ErasureLedger {
 public:
  // `file` empty: the database only (tests that do not restore).
  ErasureLedger(storage::ErasureStore& store, system::Random& random, std::string file)
      : store_(store), random_(random), file_(std::move(file)) {}

  // Merges the file into the database and writes the union back to the file; makes the key
  // on first use. Throws when the file exists but cannot be read as a ledger.
  void reconcile();
  // True when `id` is in the ledger under any key.
  bool erased(const std::string& id);
  // The ledger row for `id` under the current key, for the caller's erasure transaction;
  // call persist() once it has committed.
  storage::LedgerRecord recordFor(const std::string& kind, const std::string& id, int64_t at);
  // A stable pseudonym for a person in the audit log ("erased-" and 12 hex digits): the same
  // person gets the same one in every row, and it reveals nothing of who they were.
  std::string pseudonymOf(const std::string& id);
  // Writes the file from the database (crash-safe: the old file or the new one).
  void persist();

  // The file's text for `keys` and `records` (exposed for tests).
  static std::string format(const std::vector<std::pair<std::string, std::string>>& keys,
                            const std::vector<storage::LedgerRecord>& records);

 private:
  void load();  // keys and hashes from the database, under mutex_
  std::pair<std::string, std::string> currentKey();

  storage::ErasureStore& store_;
  system::Random& random_;
  std::string file_;
  std::mutex mutex_;
  bool loaded_ = false;
  std::vector<std::pair<std::string, std::string>> keys_;  // key id, secret; the first is current
  std::set<std::string> hashes_;
};

}  // namespace nestbox::domain
