#pragma once
// Journal entries: observations, daily snapshots (no curriculum, policy 001), room posts and
// newsletters (policy 000), and parents' home observations, which wait for staff approval
// (policies 002, 004). Every amendment keeps the previous version. Parents see only released
// entries about their own children, and only their own children in them; each (entry, child)
// has its own private comment thread.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/access_policy.hpp"
#include "domain/naming.hpp"
#include "domain/children.hpp"
#include "domain/context.hpp"
#include "domain/settings.hpp"
#include "storage/engagement_store.hpp"
#include "storage/journal_store.hpp"

namespace nestbox::domain {

// A photo, video or document to attach, with the children who appear in it.
struct MediaAttachment {
  std::string mediaId;
  std::vector<std::string> childIds;
};

struct EntryInput {
  std::string kind;    // observation, snapshot, room_post, newsletter
  std::string status;  // draft, staff_only, journal
  std::optional<std::string> roomId;
  std::string title;
  std::string body;
  std::string nextSteps;
  std::string observedOn;
  std::vector<std::string> childIds;
  std::vector<std::string> aspectIds;
  std::vector<MediaAttachment> media;
};

struct EntryChange {
  std::optional<std::string> status, title, body, nextSteps, observedOn, roomId;
  std::optional<std::vector<std::string>> childIds, aspectIds;
  std::optional<std::vector<MediaAttachment>> media;  // replaces the attached media
};

struct HomeObservation {
  std::string childId;
  std::string title;
  std::string body;
  std::string observedOn;
  std::vector<std::string> mediaIds;  // their own uploads; staff tag the children at approval
};

// An entry as the asking person may see it: for parents the children are only their own,
// and staff-only fields are empty.
struct EntryView {
  storage::EntryRecord entry;
  std::string authorName;
  bool full = false;  // shaped for staff: every field; otherwise as a family sees it
  // Staff, one entry (the editor's data): who will see each media item, by media id.
  std::map<std::string, MediaAudience> mediaAudiences;
  // A family's feed card (issue 22): visible comments in the family's threads, and the
  // family's children for whom this parent hearted the entry. Unset outside the feed.
  std::optional<int> commentCount;
  std::vector<std::string> heartedChildIds;
  // Staff, one entry (issue 32): children its words name whom some receiving family may not
  // see. A warning only: the entry is saved.
  std::vector<NamedChild> namingWarnings;
};

// One page of a family's feed, shared by every request that gets the same page while it is
// valid. `rendered` memoises its presentation (the API's JSON) so it is built once.
struct FeedPage {
  std::vector<EntryView> views;
  const std::string& rendered(const std::function<std::string(const FeedPage&)>& render) const {
    std::call_once(renderedOnce_, [&] { rendered_ = render(*this); });
    return rendered_;
  }

 private:
  mutable std::once_flag renderedOnce_;
  mutable std::string rendered_;
};

class JournalService {
 public:
  JournalService(Context& ctx, storage::JournalStore& journal, storage::EngagementStore& engagement,
                 SettingsService& settings, ChildrenService& children, AccessPolicy& access)
      : ctx_(ctx), journal_(journal), engagement_(engagement), settings_(settings), children_(children), access_(access) {}

  std::vector<EntryView> list(const Principal& p, const storage::EntryQuery& query);
  EntryView create(const Principal& p, const EntryInput& input);
  EntryView amend(const Principal& p, const std::string& entryId, const EntryChange& change);
  EntryView get(const Principal& p, const std::string& entryId);
  std::vector<storage::EntryVersionRecord> versions(const Principal& p, const std::string& entryId);
  // Staff discard a draft that was never in the journal: its author, or a manager. Anything
  // that ever reached the journal stays (conflict, not_a_draft): it is taken out by saving it
  // as staff only, and its versions keep what families saw. Returns the content hashes of
  // its media, for MediaService::removeUnreferenced once this has returned.
  std::vector<std::string> discardDraft(const Principal& p, const std::string& entryId);

  std::shared_ptr<const FeedPage> feed(const Principal& p, const storage::ParentFeedQuery& query);
  // The months (YYYY-MM, the setting's calendar, newest first) in which something this family
  // may see was shared, for the feed's month filter (issue 32): one or all of their children.
  // At most kFeedMonthsLimit of them; one indexed look-up per month found.
  std::vector<std::string> feedMonths(const Principal& p, const std::optional<std::string>& childId);
  static constexpr int kFeedMonthsLimit = 120;
  // Child view: the one child's journal, shaped as their family sees it (only that child
  // named, media by today's consent), read-only. Only for a session in child view.
  std::vector<EntryView> childJournal(const Principal& p, const std::optional<storage::EntryCursor>& before, int limit);

  EntryView review(const Principal& p, const std::string& entryId, bool returnToAuthor, const std::string& note);

  EntryView contribute(const Principal& p, const HomeObservation& observation);
  std::vector<EntryView> contributions(const Principal& p, const std::optional<std::string>& status);
  // `media`: who appears in each of the contribution's items; by default the child it is about.
  EntryView approveContribution(const Principal& p, const std::string& entryId,
                                const std::optional<std::vector<MediaAttachment>>& media = std::nullopt);
  EntryView returnContribution(const Principal& p, const std::string& entryId, const std::string& reason);

  std::vector<storage::CommentRecord> thread(const Principal& p, const std::string& entryId, const std::string& childId);
  storage::CommentRecord addComment(const Principal& p, const std::string& entryId, const std::string& childId,
                                    const std::string& body);
  void hideComment(const Principal& p, const std::string& commentId, const std::string& reason);
  // Who hearted which entry of the child's (entry id -> parent user ids, oldest first), for
  // the child's export: the child's own family or staff; another child is "not found".
  std::map<std::string, std::vector<std::string>> heartsOf(const Principal& p, const std::string& childId);

 private:
  using Viewer = AccessPolicy::Viewer;
  using AuthorNames = std::map<std::string, std::string>;  // met while shaping one request's entries
  storage::EntryRecord requireEntry(const std::string& entryId);
  EntryView viewFor(Viewer& viewer, AuthorNames& names, storage::EntryRecord entry);
  EntryView viewFor(const Principal& p, storage::EntryRecord entry);
  // viewFor, plus (for staff) who will see each of its media items.
  EntryView editorView(const Principal& p, storage::EntryRecord entry);
  std::vector<NamedChild> namingWarnings(const storage::EntryRecord& entry);
  std::vector<EntryView> viewsFor(const Principal& p, std::vector<storage::EntryRecord> entries);
  void validate(const storage::EntryRecord& entry);
  // Resolves attachments to media records: each exists, is free or already this entry's,
  // was uploaded by `p` (or, for staff, by a colleague), and every child in it is one the
  // entry is about (or in its room) with consent to photos in their own journal — unless
  // the child is obscured in the item's redacted copy.
  std::vector<storage::MediaRecord> resolveMedia(const Principal& p, const storage::EntryRecord& entry,
                                                 const std::vector<MediaAttachment>& attachments);
  // The entry, when `p` may use its thread for `childId`; else one "not found" for every case.
  storage::EntryRecord requireThread(const Principal& p, const std::string& entryId, const std::string& childId);
  void annotateCards(const Principal& p, const std::vector<std::string>& family, std::vector<EntryView>& views);
  void saveAmendment(const Principal& p, storage::EntryRecord& entry, Event event, const Json& detail);

  Context& ctx_;
  storage::JournalStore& journal_;
  storage::EngagementStore& engagement_;
  SettingsService& settings_;
  ChildrenService& children_;
  AccessPolicy& access_;

  // Family feed pages as last computed, per parent and query. A page stays valid while the
  // feed version of the family's children is unchanged (the store moves it after each commit
  // that touches them, or anything setting-wide) and until the next scheduled release
  // instant, so a consent withdrawn, a carer detached or an entry amended shows at the next
  // request, while a write about another family's child leaves the page cached.
  struct CachedFeed {
    uint64_t version = 0;  // feedVersion of the family's children when it was read
    std::optional<int64_t> validUntil;
    std::shared_ptr<const FeedPage> page;
  };
  struct CachedFamily {
    uint64_t version = 0;  // the setting-wide feedVersion
    std::string day;       // the setting's date it was read on
    std::vector<std::string> children;
  };
  static constexpr std::size_t kFeedCacheLimit = 4096;
  std::mutex feedMutex_;
  std::unordered_map<std::string, CachedFeed> feedCache_;
  std::unordered_map<std::string, CachedFamily> families_;
};

std::string entrySnapshot(const storage::EntryRecord& entry);

}  // namespace nestbox::domain
