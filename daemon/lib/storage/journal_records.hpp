#pragma once
// Records of the journal: rooms, children, consent, entries, comments. Dates a person
// chooses (birth, start, observed on) are "YYYY-MM-DD" text; instants are Unix seconds.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nestbox::storage {

struct RoomRecord {
  std::string id;
  std::string name;
  std::string releaseMode;  // "live" or "scheduled"
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
};

struct ReleasePointRecord {
  std::string roomId;
  int64_t at = 0;
  std::string kind;  // "scheduled" or "early"
  std::string createdBy;
};

struct ChildRecord {
  std::string id;
  std::string firstName;
  std::string lastName;
  std::string dateOfBirth;
  std::string roomId;
  std::optional<std::string> keyPersonId;
  std::string startedOn;
  std::optional<std::string> leftOn;  // the last day at the setting (domain/leaving.hpp)
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
  std::optional<int64_t> archivedAt;  // when the leavers job archived the journal (read-only here)
};

struct ChildQuery {
  std::optional<std::string> roomId;
  std::optional<std::string> keyPersonId;
  bool includeLeft = false;
  // Without includeLeft: also children whose leaving date is on or after this day (they are
  // still at the setting). Empty: only children with no leaving date.
  std::string presentOn;
  // Only children without a key person (keyPersonId is then ignored).
  bool noKeyPerson = false;
  // The managers' to-do (issue 32): only children who need something, as the home counts them.
  enum class Needs { any, consent, parent, observation };
  Needs needs = Needs::any;
  int64_t now = 0;              // for Needs::parent: invitations still open at this time
  std::string observedSince;    // for Needs::observation: no entry observed on or after this day
};

struct ConsentRecord {
  std::string childId;
  bool ownJournalPhotos = false;
  bool otherJournals = false;
  bool onlineJournalOptOut = false;
  std::string recordedBy;
  int64_t recordedAt = 0;
  std::string note;
};

// A child who appears in a photo or video. `obscured`: the redacted copy hides this child.
struct MediaTagRecord {
  std::string childId;
  bool obscured = false;
};

// A photo, video or document. Its bytes live in files named by content hash: `sha256` is the
// stored original (absent once a redaction deleted it), `redactedSha256` the redacted copy.
// An area staff marked to hide in a photo, in the stored image's pixels.
struct RedactedArea {
  int64_t x = 0, y = 0, width = 0, height = 0;
  bool pixelate = false;  // chosen for a thing, never a person: pixelated, not covered
  bool operator==(const RedactedArea&) const = default;
};

struct MediaRecord {
  std::string id;
  std::optional<std::string> entryId;  // absent until attached to an entry
  int position = 0;                    // order within the entry
  std::string kind;                    // image, video, document
  std::string mime;
  int64_t bytes = 0;
  std::optional<std::string> sha256;
  std::optional<std::string> redactedSha256;
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  std::optional<int64_t> durationMs;
  std::string state;  // processing (derivatives not made yet), ready, failed
  std::string uploadedBy;
  int64_t createdAt = 0;
  std::vector<MediaTagRecord> children;  // ordered by child id
  // An erased child was in it (issue 21), anonymously: "" none; "shown" not obscured in the
  // redacted copy (families other than staff get nothing until staff redact); "obscured".
  std::string erasedChild;
  // How the redacted copy hides (issue 32): "" no redacted copy; "cover" the areas filled
  // solid (with `redactionMargin` % around each person); "mosaic" made before issue 32,
  // pixelated, its areas unknown — families get none of it until staff mark them again.
  std::string redaction;
  std::vector<RedactedArea> redactionRegions;  // as staff marked them, before the margin
  int redactionMargin = 0;
};

// A resumable upload in progress: `received` of `length` bytes are durable in its part file.
struct UploadRecord {
  std::string id;
  std::string userId;
  int64_t length = 0;
  int64_t received = 0;
  std::string filename;             // as the client named it; shown to staff, never used as a path
  std::optional<std::string> mime;  // sniffed from the first bytes
  std::optional<std::string> kind;
  int64_t createdAt = 0;
  int64_t expiresAt = 0;
  std::optional<std::string> deviceId;  // the registered device sending it
  std::optional<int64_t> quarantinedAt;  // stopped by a lockdown: kept as it is, never resumed
};

// A child who receives an entry, and the room they were in when it was made (issue 13): a
// family's view of the past does not change when the child moves room, and a family joining
// a room later does not inherit the room's history. Children an entry is about, and on a
// room post or newsletter every child of the room when it was posted.
struct EntryAudienceRecord {
  std::string childId;
  std::string roomId;  // stored with the entry's journal time (when it is in the journal), for listing
  bool operator==(const EntryAudienceRecord&) const = default;
};

struct EntryRecord {
  std::string id;
  std::string kind;    // observation, snapshot, room_post, newsletter, home
  std::string status;  // draft, staff_only, journal, pending, returned
  std::optional<std::string> roomId;  // room posts and newsletters
  std::string title;
  std::string body;
  std::string nextSteps;
  std::string observedOn;
  std::string authorId;
  int version = 1;
  int64_t createdAt = 0;
  int64_t updatedAt = 0;
  std::optional<int64_t> journalAt;  // when it entered the journal; drives release
  std::optional<int64_t> reviewedAt;
  std::optional<std::string> reviewedBy;
  std::string reviewNote;
  std::string returnedReason;
  std::vector<std::string> childIds;
  std::vector<std::string> aspectIds;
  // Attached media in order. Writing an entry attaches exactly these (by id; the rows exist)
  // with their children, and detaches any other media it had.
  std::vector<MediaRecord> media;
  // Who receives it (written with the entry; decided by the access policy).
  std::vector<EntryAudienceRecord> audience;
};

struct EntryCursor {
  int64_t time = 0;
  std::string id;
};

// Staff and managers: every entry, filtered.
struct EntryQuery {
  std::optional<std::string> childId;
  std::optional<std::string> roomId;  // entries about children of the room, or posted to it
  std::optional<std::string> aspectId;
  std::optional<std::string> authorId;
  std::optional<std::string> status;
  std::optional<std::string> kind;
  std::optional<std::string> observedFrom;  // inclusive, YYYY-MM-DD
  std::optional<std::string> observedTo;    // inclusive
  bool awaitingReview = false;               // in the journal, not yet reviewed by a manager
  std::optional<EntryCursor> before;         // by created_at, id, newest first
  int limit = 20;
};

// A page of a parent's feed (what is in it is the access policy's familyEntries).
struct ParentFeedQuery {
  std::optional<std::string> childId;
  std::optional<std::string> aspectId;
  int64_t now = 0;
  std::optional<EntryCursor> before;  // by journal_at, id, newest first
  std::optional<std::string> month;   // YYYY-MM: shared in that month of the setting's calendar
  int limit = 20;
};

// Which entries a viewer may see, as SQL with named parameters. Made only by the access
// policy (domain/access_policy), so visibility has one definition; the store runs it.
//   where:   a condition on one entry (alias `e`), to check a single entry.
//   listing: "FROM ... WHERE ..." arms over the receivers table (alias `ea`, one row per entry
//            and receiving child, with the entry's journal time), one arm per child, so each
//            is read newest first from the index on (child, journal time) and stops at a
//            page, rather than scanning every entry. No arm: nothing to list.
struct SqlFilter {
  using Value = std::variant<std::nullptr_t, int64_t, std::string>;
  std::string where;
  std::vector<std::string> listing;
  std::vector<std::pair<std::string, Value>> params;  // ":name" -> value
};

// One page of the entries a filter admits, by journal time, newest first.
struct VisibleEntryQuery {
  std::optional<std::string> aspectId;
  std::optional<EntryCursor> before;  // by journal_at, id
  int limit = 20;
  std::optional<int64_t> since;       // journal_at at or after
};

// A family invitation (issue 16): a one-time code bound to one child. Stored states are open,
// waiting (an existing account claimed it; a manager must confirm), used and cancelled; expired
// and void (the child has left) are read from the times.
struct InvitationRecord {
  std::string id;
  std::string childId;
  std::string codeHash;  // SHA-256 of the normalised code; the code itself is never stored
  std::string createdBy;
  int64_t createdAt = 0;
  int64_t expiresAt = 0;
  std::string state = "open";
  std::optional<std::string> accountId;  // who claimed or used it
  std::optional<int64_t> claimedAt;
  std::optional<int64_t> usedAt;
  std::optional<int64_t> cancelledAt;
};

// The counts on the managers' home (issue 16), read in one go.
struct HomeCounts {
  int entriesAwaitingReview = 0;
  int contributionsWaiting = 0;
  int childrenWithoutConsent = 0;   // of children who have not left
  int childrenWithoutParent = 0;    // no carer attached and no open invitation
  int accountCodesUnused = 0;       // one-time password codes still valid
  int accountCodesExpired = 0;      // issued, never used, expired (kept 30 days)
  int staffWithoutPin = 0;          // active staff and managers
  int tabletsNotSeen = 0;           // active tablets not seen since the given time
  struct NotObserved {
    std::optional<std::string> keyPersonId;
    std::string keyPersonName;
    int children = 0;
  };
  std::vector<NotObserved> notObserved;  // children with no observation since the given date
  struct Release {
    std::string roomId, roomName;
    int64_t at = 0;
  };
  std::optional<Release> nextRelease;
};

struct EntryVersionRecord {
  std::string entryId;
  int version = 0;
  std::string editedBy;
  int64_t editedAt = 0;
  std::string snapshot;  // JSON of the entry as it was
};

struct CommentRecord {
  std::string id;
  std::string entryId;
  std::string childId;
  std::string authorId;
  std::string body;
  int64_t createdAt = 0;
  std::optional<int64_t> hiddenAt;
  std::optional<std::string> hiddenBy;
  std::string hiddenReason;
};

}  // namespace nestbox::storage
