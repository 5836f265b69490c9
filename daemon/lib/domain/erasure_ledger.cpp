#include "domain/erasure_ledger.hpp"

#include <sstream>
#include <stdexcept>

#include "security/tokens.hpp"
#include "system/files.hpp"

namespace nestbox::domain {
namespace {

constexpr const char* kHeader = "nestbox-erasure-ledger 1";

std::string keyIdOf(const std::string& secret) { return security::sha256Hex("erasure-key:" + secret).substr(0, 16); }

bool isHex(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string::npos; }

}  // namespace

std::string ErasureLedger::format(const std::vector<std::pair<std::string, std::string>>& keys,
                                  const std::vector<storage::LedgerRecord>& records) {
  std::ostringstream out;
  out << kHeader << "\n";
  for (const auto& [id, secret] : keys) out << "key " << id << " " << secret << "\n";
  for (const auto& r : records) out << "erased " << r.kind << " " << r.keyId << " " << r.hash << " " << r.erasedAt << "\n";
  return out.str();
}

void ErasureLedger::reconcile() {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::string>> fileKeys;
  std::vector<storage::LedgerRecord> fileRecords;
  if (!file_.empty() && system::fileExists(file_)) {
    std::istringstream in(system::readFile(file_));
    std::string line;
    if (!std::getline(in, line) || line != kHeader) throw std::runtime_error("not an erasure ledger: " + file_);
    while (std::getline(in, line)) {
      std::istringstream words(line);
      std::string what;
      words >> what;
      if (what == "key") {
        std::string id, secret;
        words >> id >> secret;
        if (!isHex(secret) || keyIdOf(secret) != id) throw std::runtime_error("a damaged key line in " + file_);
        fileKeys.emplace_back(id, secret);
      } else if (what == "erased") {
        storage::LedgerRecord r;
        words >> r.kind >> r.keyId >> r.hash >> r.erasedAt;
        if (words.fail() || !isHex(r.hash) || (r.kind != "child" && r.kind != "user")) {
          throw std::runtime_error("a damaged line in " + file_);
        }
        fileRecords.push_back(r);
      } else if (!what.empty()) {
        throw std::runtime_error("an unknown line in " + file_);
      }
    }
  }
  // The database's keys first (the current one stays current); then the file's.
  for (const auto& [id, secret] : fileKeys) store_.putLedgerKey(id, secret);
  for (const auto& r : fileRecords) store_.addLedger(r);
  if (store_.ledgerKeys().empty()) {
    const std::string secret = random_.hex(32);
    store_.putLedgerKey(keyIdOf(secret), secret);
  }
  loaded_ = false;
  load();
  if (!file_.empty()) system::writeFileAtomic(file_, format(keys_, store_.ledger()), 0600);
}

void ErasureLedger::load() {
  if (loaded_) return;
  keys_ = store_.ledgerKeys();
  hashes_.clear();
  for (const auto& r : store_.ledger()) hashes_.insert(r.hash);
  loaded_ = true;
}

std::pair<std::string, std::string> ErasureLedger::currentKey() {
  load();
  if (keys_.empty()) {
    const std::string secret = random_.hex(32);
    store_.putLedgerKey(keyIdOf(secret), secret);
    keys_ = store_.ledgerKeys();
  }
  return keys_.front();
}

bool ErasureLedger::erased(const std::string& id) {
  std::lock_guard lock(mutex_);
  load();
  for (const auto& [keyId, secret] : keys_) {
    if (hashes_.contains(security::hmacSha256Hex(secret, "erased:" + id))) return true;
  }
  return false;
}

storage::LedgerRecord ErasureLedger::recordFor(const std::string& kind, const std::string& id, int64_t at) {
  std::lock_guard lock(mutex_);
  const auto [keyId, secret] = currentKey();
  storage::LedgerRecord r{security::hmacSha256Hex(secret, "erased:" + id), kind, keyId, at};
  return r;
}

std::string ErasureLedger::pseudonymOf(const std::string& id) {
  std::lock_guard lock(mutex_);
  const auto [keyId, secret] = currentKey();
  return "erased-" + security::hmacSha256Hex(secret, "pseudonym:" + id).substr(0, 12);
}

void ErasureLedger::persist() {
  std::lock_guard lock(mutex_);
  loaded_ = false;
  load();
  if (!file_.empty()) system::writeFileAtomic(file_, format(keys_, store_.ledger()), 0600);
}

}  // namespace nestbox::domain
