#pragma once
// What families and staff do around an entry besides comments (issue 22): a parent's heart
// ("we saw this, and liked it") — staff see which family, other families never do; a
// parent's visits, for "new since your last visit"; and the children a member of staff
// tagged lately, kept on the box so any tablet offers them first.

#include <optional>
#include <string>
#include <vector>

#include "domain/access_policy.hpp"
#include "domain/children.hpp"
#include "domain/context.hpp"
#include "storage/engagement_store.hpp"
#include "storage/journal_store.hpp"

namespace nestbox::domain {

struct HeartView {
  std::string childId;
  std::string childName;   // first name
  std::string parentName;  // the parent's display name
  int64_t at = 0;
};

class EngagementService {
 public:
  // A visit this soon after the last one is the same visit (a reload keeps the markers).
  static constexpr int64_t kVisitGapSeconds = 30 * 60;
  static constexpr int64_t kRecentDays = 30;
  static constexpr int kRecentLimit = 12;

  EngagementService(Context& ctx, storage::JournalStore& journal, storage::EngagementStore& store,
                    ChildrenService& children, AccessPolicy& access)
      : ctx_(ctx), journal_(journal), store_(store), children_(children), access_(access) {}

  // A parent hearts (or un-hearts) an entry in their child's journal. Anything that is not
  // a journal entry they may see for that child is "not found"; staff are refused.
  void heart(const Principal& p, const std::string& entryId, const std::string& childId, bool on);
  // The children for whom this parent hearted the entry (no access check: for an entry the
  // caller has already shown them).
  std::vector<std::string> heartedBy(const Principal& p, const std::string& entryId);
  // Staff: who hearted the entry, newest first.
  std::vector<HeartView> hearts(const Principal& p, const std::string& entryId);
  // A parent opened the journal: the previous visit's time (none the first time).
  std::optional<int64_t> visit(const Principal& p);
  // Staff: children they tagged in the last kRecentDays, most recent first.
  std::vector<std::string> recentChildren(const Principal& p);

 private:
  Context& ctx_;
  storage::JournalStore& journal_;
  storage::EngagementStore& store_;
  ChildrenService& children_;
  AccessPolicy& access_;
};

}  // namespace nestbox::domain
