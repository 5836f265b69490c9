#include "domain/erasure.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/text.hpp"
#include "domain/errors.hpp"
#include "domain/roles.hpp"
#include "system/files.hpp"

namespace nestbox::domain {
namespace {

DomainError childNotFound() { return DomainError(ErrorKind::notFound, "not_found", "There is no such child."); }

// True when `word` appears in `text` as a whole word, ignoring case ("Ava" in "Ava's", not in
// "Avalon").
bool mentions(const std::string& text, const std::string& word) {
  if (word.empty()) return false;
  const std::string t = asciiLower(text), w = asciiLower(word);
  const auto isWordChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t at = t.find(w); at != std::string::npos; at = t.find(w, at + 1)) {
    const bool startOk = at == 0 || !isWordChar(t[at - 1]);
    const bool endOk = at + w.size() >= t.size() || !isWordChar(t[at + w.size()]);
    if (startOk && endOk) return true;
  }
  return false;
}

const AuditActor kBox = AuditActor::box();

}  // namespace

std::string normaliseTypedName(const std::string& typed) {
  std::string out;
  bool space = false;
  for (unsigned char c : typed) {
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

void ErasureService::checkManager(const Principal& p, const ErasureConfirmation& c, const std::string& childName) {
  const int64_t now = ctx_.clock.now();
  const std::string key = "erasure:" + p.userId;
  if (const auto wait = ctx_.throttle.lockedFor(key, now)) {
    throw DomainError(ErrorKind::throttled, "locked", "Too many failed attempts. Wait, then try again.", "", *wait);
  }
  const auto user = ctx_.store.userById(p.userId);
  if (!user || !user->pinHash) {
    throw DomainError(ErrorKind::forbidden, "pin_required",
                      "Erasing needs your password and your PIN. Set your PIN first: Accounts, your own account, PIN.");
  }
  bool ok = ctx_.hasher.verify(user->passwordHash, c.password);
  ok = ctx_.hasher.verify(*user->pinHash, c.pin) && ok;
  if (!ok) {
    ctx_.throttle.recordFailure(key, kAccountThrottle, now);
    ctx_.audit.record(Event::ErasureRefused, AuditActor::of(p), std::nullopt, {{"reason", "wrong_credentials"}});
    throw DomainError(ErrorKind::unauthenticated, "invalid_credentials", "Your password or PIN is not right.", "password");
  }
  if (normaliseTypedName(c.confirm) != normaliseTypedName(childName)) {
    ctx_.audit.record(Event::ErasureRefused, AuditActor::of(p), std::nullopt, {{"reason", "confirm_mismatch"}});
    throw DomainError(ErrorKind::unprocessable, "confirm_mismatch",
                      "Type the child's first and last name exactly as shown, to confirm.", "confirm");
  }
  ctx_.throttle.clear(key);
}

ErasureResult ErasureService::erase(const Principal& p, const std::string& childId, const ErasureConfirmation& c) {
  children_.requireManager(p);
  const auto child = journal_.child(childId);
  if (!child) throw childNotFound();
  checkManager(p, c, child->firstName + " " + child->lastName);
  const bool asked = store_.erasureRequest(childId).has_value();
  return eraseChild(*child, AuditActor::of(p), asked ? "family_request" : "manager");
}

ErasureResult ErasureService::eraseChild(const storage::ChildRecord& child, const AuditActor& actor,
                                         const std::string& reason, bool compact) {
  std::lock_guard lock(mutex_);
  if (beforeErasing_) beforeErasing_(child.id);
  // Parents whose last child this is go with the child (policy 000: all stored data).
  std::vector<storage::UserRecord> accounts;
  for (const auto& parentId : journal_.carersOf(child.id)) {
    const auto others = journal_.childrenOfParent(parentId);
    const bool last = std::all_of(others.begin(), others.end(), [&](const auto& c) { return c.id == child.id; });
    const auto user = ctx_.store.userById(parentId);
    if (last && user && user->role == "parent") accounts.push_back(*user);
  }
  std::vector<std::string> accountIds;
  for (const auto& a : accounts) accountIds.push_back(a.id);
  auto pseudonyms = pseudonymsOf(child.id, {child.firstName + " " + child.lastName});
  for (const auto& a : accounts) {
    const auto more = pseudonymsOf(a);
    pseudonyms.insert(pseudonyms.end(), more.begin(), more.end());
  }
  ErasureResult result;
  result.id = newId(ctx_.random);
  const int64_t now = ctx_.clock.now();
  storage::ErasureFiles files;
  ctx_.store.transaction([&] {
    result.counts = store_.eraseChildRows(child.id, accountIds, files);
    // Entries that remain and may name the child in their text, for a manager to read.
    for (const auto& [entryId, text] : store_.entriesContaining(child.firstName)) {
      if (!mentions(text, child.firstName)) continue;
      store_.addReview(entryId, result.id, now);
      ++result.reviews;
    }
    store_.pseudonymiseAudit(pseudonyms);
    store_.addLedger(ledger_.recordFor("child", child.id, now));
    for (const auto& id : accountIds) store_.addLedger(ledger_.recordFor("user", id, now));
    ctx_.audit.record(Event::ChildErased, actor, AuditTarget{"erasure", result.id},
                      {{"reason", reason},
                       {"entries_removed", result.counts.entriesRemoved},
                       {"media_removed", result.counts.mediaRemoved},
                       {"media_marked", result.counts.mediaMarked},
                       {"accounts_erased", result.counts.accountsErased},
                       {"exports_removed", result.counts.exportsRemoved},
                       {"reviews", result.reviews}});
  });
  ledger_.persist();
  afterCommit(files, compact);
  return result;
}

std::vector<std::pair<std::string, std::string>> ErasureService::pseudonymsOf(const std::string& id,
                                                                            const std::vector<std::string>& names) {
  // The id (and a username) always; names only from four characters, as shorter ones would
  // match unrelated text.
  const std::string pseudonym = ledger_.pseudonymOf(id);
  std::vector<std::pair<std::string, std::string>> out = {{id, pseudonym}};
  for (const auto& n : names) {
    if (n.size() >= 4) out.emplace_back(n, pseudonym);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ErasureService::pseudonymsOf(const storage::UserRecord& user) {
  auto out = pseudonymsOf(user.id, {user.displayName, user.email.value_or("")});
  out.emplace_back(user.username, out.front().second);
  return out;
}

void ErasureService::afterCommit(const storage::ErasureFiles& files, bool compact) {
  std::set<std::string> hashes(files.hashes.begin(), files.hashes.end());
  for (const auto& h : hashes) {
    if (!journal_.hashReferenced(h)) files_.removeObject(h);
  }
  for (const auto& id : files.exportIds) {
    system::removeFileIfExists(files_.exportPath(id));
    system::removeFileIfExists(files_.exportPath(id) + ".part");
  }
  if (compact) store_.compact();
}

storage::ChildRecord ErasureService::restore(const Principal& p, const std::string& childId) {
  children_.requireManager(p);
  auto child = journal_.child(childId);
  if (!child) throw childNotFound();
  if (!child->leftOn) {
    throw DomainError(ErrorKind::conflict, "not_leaving", child->firstName + " has no leaving date: there is nothing to restore.");
  }
  const auto was = children_.leaving(*child);
  child->leftOn.reset();
  child->archivedAt.reset();
  child->updatedAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    journal_.updateChild(*child);
    ctx_.audit.record(Event::ChildRestored, AuditActor::of(p), AuditTarget{"child", child->id},
                      {{"was", was ? leavingPhaseName(was->phase) : "current"}});
  });
  return *child;
}

storage::ErasureRequestRecord ErasureService::requestErasure(const Principal& p, const std::string& childId,
                                                             const std::string& note) {
  if (p.role != Role::parent || p.childViewOf) {
    throw DomainError(ErrorKind::forbidden, "parents_only", "A child's family asks for erasure; managers erase.");
  }
  children_.child(p, childId);  // their own, not archived: else not found
  if (note.size() > 500) {
    throw DomainError(ErrorKind::invalid, "invalid", "Keep the note to 500 characters.", "note");
  }
  storage::ErasureRequestRecord r{newId(ctx_.random), childId, p.userId, ctx_.clock.now(), note};
  try {
    ctx_.store.transaction([&] {
      store_.putErasureRequest(r);
      ctx_.audit.record(Event::ErasureRequested, AuditActor::of(p), AuditTarget{"child", childId});
    });
  } catch (const storage::DuplicateError&) {
    throw DomainError(ErrorKind::conflict, "already_requested", "Erasure is already asked for: the manager has been told.");
  }
  return r;
}

void ErasureService::withdrawRequest(const Principal& p, const std::string& childId) {
  if (p.role != Role::parent || p.childViewOf) throw childNotFound();
  children_.child(p, childId);
  if (!store_.erasureRequest(childId)) {
    throw DomainError(ErrorKind::notFound, "not_found", "No erasure is asked for this child.");
  }
  ctx_.store.transaction([&] {
    store_.deleteErasureRequest(childId);
    ctx_.audit.record(Event::ErasureRequestWithdrawn, AuditActor::of(p), AuditTarget{"child", childId});
  });
}

std::optional<storage::ErasureRequestRecord> ErasureService::requestOf(const Principal& p, const std::string& childId) {
  if (p.role != Role::parent || p.childViewOf) throw childNotFound();
  children_.child(p, childId);
  return store_.erasureRequest(childId);
}

std::vector<ErasureRequestView> ErasureService::requests(const Principal& p) {
  children_.requireManager(p);
  std::vector<ErasureRequestView> out;
  for (auto& r : store_.erasureRequests()) {
    ErasureRequestView v{r, "", ""};
    if (const auto c = journal_.child(r.childId)) v.childName = c->firstName + " " + c->lastName;
    if (const auto u = ctx_.store.userById(r.requestedBy)) v.requestedByName = u->displayName;
    out.push_back(std::move(v));
  }
  return out;
}

ErasureReviews ErasureService::reviews(const Principal& p) {
  children_.requireManager(p);
  return {store_.reviews(), store_.mediaShowingErased()};
}

void ErasureService::reviewed(const Principal& p, const std::string& entryId) {
  children_.requireManager(p);
  ctx_.store.transaction([&] {
    if (!store_.resolveReview(entryId)) {
      throw DomainError(ErrorKind::notFound, "not_found", "This entry is not waiting for review.");
    }
    ctx_.audit.record(Event::ErasureReviewed, AuditActor::of(p), AuditTarget{"entry", entryId});
  });
  // The earlier wording may have named the child: not left in the log or a free page either.
  store_.compact();
}

std::pair<int, int> ErasureService::counts() {
  return {static_cast<int>(store_.reviews().size() + store_.mediaShowingErased().size()),
          static_cast<int>(store_.erasureRequests().size())};
}

Json ErasureService::runLeavers() {
  int archived = 0, erased = 0;
  storage::ChildQuery all;
  all.includeLeft = true;
  for (const auto& child : journal_.children(all)) {
    const auto leaving = children_.leaving(child);
    if (!leaving) continue;
    if (leaving->phase == LeavingPhase::due) {
      eraseChild(child, kBox, "countdown", false);
      ++erased;
    } else if (leaving->phase == LeavingPhase::archived && !child.archivedAt) {
      ctx_.store.transaction([&] {
        store_.markArchived(child.id, ctx_.clock.now());
        ctx_.audit.record(Event::ChildArchived, kBox, AuditTarget{"child", child.id}, {{"erase_on", leaving->eraseOn}});
      });
      ++archived;
    }
  }
  if (erased) store_.compact();  // once for all of them: a July's leavers do not rebuild it thirty times
  return {{"archived", archived}, {"erased", erased}};
}

int ErasureService::reapplyLedger() {
  ledger_.reconcile();
  int children = 0, accounts = 0;
  storage::ChildQuery all;
  all.includeLeft = true;
  for (const auto& child : journal_.children(all)) {
    if (!ledger_.erased(child.id)) continue;
    accounts += eraseChild(child, kBox, "ledger", false).counts.accountsErased;
    ++children;
  }
  for (const auto& user : ctx_.store.users({})) {
    if (!ledger_.erased(user.id)) continue;
    std::lock_guard lock(mutex_);
    storage::ErasureFiles files;
    ctx_.store.transaction([&] {
      accounts += store_.eraseAccountRows(user.id, files).accountsErased;
      store_.pseudonymiseAudit(pseudonymsOf(user));
    });
    afterCommit(files, false);
  }
  if (children || accounts) {
    store_.compact();
    ctx_.store.transaction([&] {
      ctx_.audit.record(Event::ErasureReapplied, kBox, std::nullopt, {{"children", children}, {"accounts", accounts}});
    });
  }
  return children + accounts;
}

}  // namespace nestbox::domain
