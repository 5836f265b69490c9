#include "domain/engagement.hpp"

#include <map>

#include "domain/errors.hpp"

namespace nestbox::domain {
namespace {

void requireParent(const Principal& p, const char* what) {
  if (p.role != Role::parent) throw DomainError(ErrorKind::forbidden, "parents_only", what);
}

}  // namespace

void EngagementService::heart(const Principal& p, const std::string& entryId, const std::string& childId, bool on) {
  requireParent(p, "Hearts are for families; staff see them on the entry.");
  children_.requireAgreement(p);
  // The same answer for a missing entry, one not in the journal, and another family's child.
  const auto entry = journal_.entry(entryId);
  if (!entry || entry->status != "journal" || !access_.mayViewThread(p, *entry, childId)) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such entry in your child’s journal.");
  }
  if (on) {
    store_.putHeart({entryId, childId, p.userId, ctx_.clock.now()});
  } else {
    store_.deleteHeart(entryId, childId, p.userId);
  }
}

std::vector<HeartView> EngagementService::hearts(const Principal& p, const std::string& entryId) {
  children_.requireStaff(p);
  const auto entry = journal_.entry(entryId);
  if (!entry || !access_.mayViewEntry(p, *entry)) {
    throw DomainError(ErrorKind::notFound, "not_found", "There is no such entry.");
  }
  std::vector<HeartView> out;
  std::map<std::string, std::string> childNames;
  std::map<std::string, std::string> parentNames;
  for (const auto& h : store_.heartsOn(entryId)) {
    auto child = childNames.find(h.childId);
    if (child == childNames.end()) {
      const auto c = journal_.child(h.childId);
      child = childNames.emplace(h.childId, c ? c->firstName : "").first;
    }
    auto parent = parentNames.find(h.userId);
    if (parent == parentNames.end()) {
      const auto u = ctx_.store.userById(h.userId);
      parent = parentNames.emplace(h.userId, u ? u->displayName : "").first;
    }
    out.push_back({h.childId, child->second, parent->second, h.createdAt});
  }
  return out;
}

std::vector<std::string> EngagementService::heartedBy(const Principal& p, const std::string& entryId) {
  auto mine = store_.heartsBy(p.userId, {entryId});
  return mine.empty() ? std::vector<std::string>{} : std::move(mine.begin()->second);
}

std::optional<int64_t> EngagementService::visit(const Principal& p) {
  requireParent(p, "Only families’ visits are remembered.");
  return store_.recordVisit(p.userId, ctx_.clock.now(), kVisitGapSeconds);
}

std::vector<std::string> EngagementService::recentChildren(const Principal& p) {
  children_.requireStaff(p);
  return store_.recentlyTagged(p.userId, ctx_.clock.now() - kRecentDays * 86400, kRecentLimit);
}

}  // namespace nestbox::domain
