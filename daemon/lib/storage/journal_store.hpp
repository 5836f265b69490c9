#pragma once
// The storage contract of the journal. Implemented by SqliteStore next to Store; the same
// transaction() covers calls to both. What a family or a child view may see is decided by the
// access policy (domain/access_policy), which hands the store a SqlFilter: the filter runs in
// the query, so no row they may not see ever leaves the database layer.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "storage/journal_records.hpp"

namespace nestbox::storage {

class JournalStore {
 public:
  virtual ~JournalStore() = default;
  virtual void transaction(const std::function<void()>& work) = 0;

  virtual void insertRoom(const RoomRecord& room) = 0;  // DuplicateError on a taken name
  virtual void updateRoom(const RoomRecord& room) = 0;
  virtual std::optional<RoomRecord> room(const std::string& id) = 0;
  virtual std::vector<RoomRecord> rooms() = 0;
  virtual void putReleasePoint(const ReleasePointRecord& point) = 0;
  virtual void deleteReleasePoint(const std::string& roomId, int64_t at) = 0;
  virtual std::vector<ReleasePointRecord> releasePoints(const std::string& roomId) = 0;

  virtual void insertChild(const ChildRecord& child) = 0;
  virtual void updateChild(const ChildRecord& child) = 0;
  virtual std::optional<ChildRecord> child(const std::string& id) = 0;
  virtual std::vector<ChildRecord> children(const ChildQuery& query) = 0;
  virtual std::vector<ChildRecord> childrenOfParent(const std::string& parentId) = 0;
  virtual std::vector<std::string> carersOf(const std::string& childId) = 0;
  virtual void linkCarer(const std::string& childId, const std::string& parentId) = 0;
  virtual void unlinkCarer(const std::string& childId, const std::string& parentId) = 0;

  virtual std::optional<ConsentRecord> consent(const std::string& childId) = 0;
  // Replaces the current consent and appends the same record to the history.
  virtual void putConsent(const ConsentRecord& consent) = 0;
  virtual std::vector<ConsentRecord> consentHistory(const std::string& childId) = 0;
  // The current consent of each of `childIds` that has one (the staff picker's 150 at once).
  virtual std::vector<ConsentRecord> consents(const std::vector<std::string>& childIds) = 0;

  virtual void acceptAgreement(const std::string& userId, int version, int64_t at) = 0;
  virtual bool hasAcceptedAgreement(const std::string& userId, int version) = 0;

  virtual void insertEntry(const EntryRecord& entry) = 0;
  virtual void updateEntry(const EntryRecord& entry) = 0;  // children and links replaced
  virtual std::optional<EntryRecord> entry(const std::string& id) = 0;
  virtual std::vector<EntryRecord> entries(const EntryQuery& query) = 0;
  // The entries `visible` admits, a page at a time (family feeds, child view).
  virtual std::vector<EntryRecord> visibleEntries(const SqlFilter& visible, const VisibleEntryQuery& query) = 0;
  // True when the entry exists and `visible` admits it.
  virtual bool entryVisible(const std::string& entryId, const SqlFilter& visible) = 0;
  virtual void appendEntryVersion(const EntryVersionRecord& version) = 0;
  // Removes an entry and everything hanging from it (media rows, tags, comments, versions);
  // returns the content hashes its media named, for the caller to remove once no row refers
  // to them (after the transaction commits).
  virtual std::vector<std::string> deleteEntry(const std::string& entryId) = 0;
  virtual std::vector<EntryVersionRecord> entryVersions(const std::string& entryId) = 0;

  // Versions of what families' feeds depend on, moved after the write that changed it has
  // committed (so a page read under an older version is never taken for a fresh one).
  // feedVersion(): changes with anything setting-wide (rooms, releases, consent, carers,
  // author names). feedVersion(children): also with anything about those children's entries
  // and their media — a write about one child leaves every other family's feed valid.
  virtual uint64_t feedVersion() const = 0;
  virtual uint64_t feedVersion(const std::vector<std::string>& childIds) const = 0;
  // The earliest release instant after `now` in any room, if one is scheduled.
  virtual std::optional<int64_t> nextReleaseAfter(int64_t now) = 0;

  virtual void insertMedia(const MediaRecord& media) = 0;  // children ignored: tags come with the entry
  virtual void updateMedia(const MediaRecord& media) = 0;  // files, sizes, state; not entry or tags
  virtual std::optional<MediaRecord> media(const std::string& id) = 0;
  virtual std::vector<MediaRecord> mediaInState(const std::string& state) = 0;
  // Redacted items whose copy hides less than the box now asks (issue 32): made the old way
  // ("mosaic"), or covered with a margin under `marginPct`. Oldest first; no tags.
  virtual std::vector<MediaRecord> mediaToCoverAgain(int marginPct) = 0;
  virtual void setMediaChildren(const std::string& mediaId, const std::vector<MediaTagRecord>& children) = 0;
  virtual bool hashReferenced(const std::string& sha256) = 0;
  // The bytes of every stored item (originals as recorded), for the space report.
  virtual int64_t mediaBytes() = 0;
  // Every content hash a media row refers to (originals and redacted copies), for the check.
  virtual std::vector<std::string> mediaHashes() = 0;

  virtual void insertUpload(const UploadRecord& upload) = 0;
  virtual std::optional<UploadRecord> upload(const std::string& id) = 0;
  virtual void updateUpload(const UploadRecord& upload) = 0;  // received, mime, kind
  virtual void deleteUpload(const std::string& id) = 0;
  virtual std::vector<UploadRecord> uploads() = 0;

  // The managers' home: `today` and `observedSince` are the setting's dates, `seenSince` a time.
  virtual HomeCounts homeCounts(int64_t now, const std::string& today, const std::string& observedSince,
                                int64_t seenSince) = 0;

  virtual void insertInvitation(const InvitationRecord& invitation) = 0;
  virtual void updateInvitation(const InvitationRecord& invitation) = 0;  // state, account and times
  virtual std::optional<InvitationRecord> invitation(const std::string& id) = 0;
  virtual std::optional<InvitationRecord> invitationByCode(const std::string& codeHash) = 0;
  virtual std::vector<InvitationRecord> invitationsOf(const std::string& childId) = 0;
  virtual std::vector<InvitationRecord> invitationsInState(const std::string& state) = 0;

  virtual void insertComment(const CommentRecord& comment) = 0;
  virtual std::optional<CommentRecord> comment(const std::string& id) = 0;
  virtual std::vector<CommentRecord> thread(const std::string& entryId, const std::string& childId) = 0;
  virtual void hideComment(const std::string& id, const std::string& by, int64_t at, const std::string& reason) = 0;
};

}  // namespace nestbox::storage
