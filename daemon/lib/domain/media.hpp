#pragma once
// Photos, videos and documents: resumable uploads (the tus 1.0 protocol's core, creation,
// termination, expiration and checksum extensions — the HTTP layer speaks the protocol, this
// service keeps its state), content-sniffed types, limits, the privacy-safe stored original,
// derivatives made off the request path, consent-checked serving, redaction, and the check
// that makes the database and the files agree after a crash.
//
// Crash safety: an upload's bytes are fsynced before its offset is recorded, and the offset
// is recorded before it is acknowledged; at start the part file is cut back to the recorded
// offset. A finished upload is renamed to incoming/ before its media row exists; processing
// writes content-addressed objects (idempotent) before the row says "ready". So every state
// a crash leaves is either finished by recover() or found by check().

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/access_policy.hpp"
#include "domain/children.hpp"
#include "domain/settings.hpp"
#include "domain/context.hpp"
#include "domain/media_consent.hpp"
#include "media/processor.hpp"
#include "storage/journal_store.hpp"
#include "storage/media_files.hpp"
#include "system/disk.hpp"
#include "system/executor.hpp"

namespace nestbox::domain {

struct MediaLimits {
  int64_t maxUploadBytes = 2LL << 30;  // any upload (videos)
  int64_t maxImageBytes = 64LL << 20;
  int64_t maxDocumentBytes = 64LL << 20;
  int64_t uploadLifetimeSeconds = 86400;  // abandoned uploads expire after a day
};

struct UploadStatus {
  std::string id;
  int64_t length = 0;
  int64_t offset = 0;
  int64_t expiresAt = 0;
  bool complete = false;  // then `id` is also the id of the media item it became
};

// tus "Upload-Checksum": the algorithm ("sha1" or "sha256") and the expected digest bytes.
struct UploadChecksum {
  std::string algorithm;
  std::string digest;
};

// The body of one PATCH, arriving in pieces. Exactly one of finish() or abandon() ends it.
class UploadAppend {
 public:
  virtual ~UploadAppend() = default;
  // Throws DomainError: more bytes than the upload or the request declared (409/400), a
  // type refused once the first bytes show it (415/413). After a throw the rest of the body
  // is discarded by the caller and finish() is not called.
  virtual void write(std::string_view piece) = 0;
  // Makes what arrived durable and records the new offset; the last piece completes the
  // upload (type, limits and pixels checked; 413/415/422 remove it). A checksum mismatch
  // discards this request's bytes (460).
  virtual UploadStatus finish() = 0;
  // The connection was cut: keep the bytes that arrived (tus resumes from there).
  virtual void abandon() = 0;
};

// Which rendition of an item a request asks for.
enum class MediaVariant { thumbnail, display, original };
std::optional<MediaVariant> mediaVariantFromName(const std::string& name);

struct ServedMedia {
  std::string relativePath;  // below MediaFiles::root(), for nginx's internal location
  std::string mime;
  std::string downloadName;
};

// The data disk as managers see it (issue 14).
struct SpaceReport {
  int64_t totalBytes = 0;
  int64_t freeBytes = 0;
  int64_t reserveBytes = 0;        // kept free for the database and the box
  int64_t unfinishedBytes = 0;     // what unfinished uploads may still write
  int64_t mediaBytes = 0;          // photos, videos and documents stored
  std::string state;               // ok; low (below twice the reserve); full (uploads refused)
};

struct MediaCheckReport {
  int orphanObjects = 0;      // files no row refers to
  int orphanDerived = 0;
  int orphanParts = 0;        // part files without an upload
  int missingParts = 0;       // uploads whose part file is gone
  int missingObjects = 0;     // rows whose stored file is gone (marked failed)
  int missingDerived = 0;     // derivatives remade
  int resumedProcessing = 0;  // items whose processing was interrupted
  int repaired = 0;
  bool consistent() const {
    return orphanObjects + orphanDerived + orphanParts + missingParts + missingObjects + missingDerived +
               resumedProcessing == 0;
  }
};

class MediaService {
 public:
  MediaService(Context& ctx, storage::JournalStore& journal, ChildrenService& children, SettingsService& settings,
               AccessPolicy& access, storage::MediaFiles& files, media::MediaProcessor& processor,
               system::Executor& workers, const system::Disk& disk, MediaLimits limits = {});

  // Staff, managers and parents (for home observations) may upload. Staff and managers only
  // from a registered device (a device-bound session) on one of the setting's secure
  // networks (policies 002, 004); each piece of an upload is checked again. Refused (507)
  // when the data disk would drop below the reserve, counting what unfinished uploads may
  // still write and the processed copy, so the database never meets a full disk.
  UploadStatus createUpload(const Principal& p, int64_t length, const std::string& filename);
  // Only the uploader sees an upload; anyone else gets "not found".
  UploadStatus uploadStatus(const Principal& p, const std::string& uploadId);
  // `offset` must equal the current offset (else conflict, 409); `requestLength` is the
  // request's Content-Length when known.
  std::unique_ptr<UploadAppend> append(const Principal& p, const std::string& uploadId, int64_t offset,
                                       std::optional<int64_t> requestLength, std::optional<UploadChecksum> checksum);
  void terminateUpload(const Principal& p, const std::string& uploadId);
  // Removes an upload and its bytes whoever sent it (a revoked device's unfinished uploads).
  void discardUpload(const std::string& uploadId, const std::string& reason);
  // Removes uploads past their expiry; returns how many.
  int expireUploads();

  // At start: cuts part files back to their acknowledged offsets, finishes completions a
  // crash interrupted, and queues items whose processing did not finish.
  void recover();
  // Redaction that hides (issue 32), run by the job runner: covers again, over the stored
  // copy, up to `batch` redacted items whose margin is under the setting's; counts those made
  // the old way, whose areas staff must mark again. Returns the counts for the audit log.
  Json coverAgain(std::size_t batch = 200);
  // Redacted copies made the old way, which no family gets until staff mark their areas.
  int countToMarkAgain();
  struct ToMarkAgain {
    std::string mediaId;
    std::optional<std::string> entryId, entryTitle;
  };
  // The same, each with its entry, oldest first: for staff to mark again (staff and managers).
  std::vector<ToMarkAgain> toMarkAgain(const Principal& p);
  // Compares the database with the files. With `repair`: removes orphans, remakes missing
  // derivatives, marks items whose stored file is gone as failed.
  MediaCheckReport check(bool repair);
  // Removes the stored files of each content hash no media row refers to any more (after the
  // rows that named them were deleted and committed: a discarded draft's photos).
  void removeUnreferenced(const std::vector<std::string>& hashes);

  // An item's record for staff and its uploader (state while processing; children in it).
  storage::MediaRecord get(const Principal& p, const std::string& mediaId);
  // Staff editing an entry: who will see the item if it is tagged with `childIds`.
  MediaAudience audience(const Principal& p, const std::string& mediaId, const std::vector<std::string>& childIds);
  // Authorises one request for bytes by the access policy: staff any item; a family only an
  // item in an entry they can see, or their own upload, in the copy consent allows now.
  // Anything else is "not found". Items still processing have no preview yet (conflict).
  ServedMedia locate(const Principal& p, const std::string& mediaId, MediaVariant variant);

  // Staff: writes a copy with `regions` (pixels of the stored original) irreversibly
  // obscured, marks `obscuredChildIds` (children in the item) as hidden in it, and deletes
  // the unredacted original unless `keepOriginal` (then only staff ever see the original).
  // `obscureErased`: the regions also cover an erased child the item still shows (issue 21),
  // so other families may have the redacted copy.
  storage::MediaRecord redact(const Principal& p, const std::string& mediaId, const std::vector<media::Region>& regions,
                              const std::vector<std::string>& obscuredChildIds, bool keepOriginal,
                              bool obscureErased = false);

  // Managers: the data disk's size, free space, reserve and state.
  SpaceReport space(const Principal& p);

  // Runs queued processing now (tests with a thread pool call this to wait).
  void processNow(const std::string& mediaId);

 private:
  class Append;
  friend class Append;
  storage::UploadRecord requireOwnUpload(const Principal& p, const std::string& uploadId);
  void requireUploader(const Principal& p);
  void sniffAndCheck(storage::UploadRecord& upload);
  SpaceReport measureSpace();
  void complete(const Principal& p, storage::UploadRecord& upload);
  void removeUpload(const storage::UploadRecord& upload);
  void process(const std::string& mediaId);
  void makeDerivatives(const std::string& sha256, const std::string& mime);

  void finishCompletion(storage::UploadRecord& upload, const media::Probe& probe);
  void release(const std::string& uploadId);

  Context& ctx_;
  storage::JournalStore& journal_;
  ChildrenService& children_;
  SettingsService& settings_;
  AccessPolicy& access_;
  storage::MediaFiles& files_;
  media::MediaProcessor& processor_;
  system::Executor& workers_;
  const system::Disk& disk_;
  MediaLimits limits_;
  // tus asks servers to refuse a second PATCH to an upload while one is in progress.
  std::mutex busyMutex_;
  std::set<std::string> busyUploads_;
};

}  // namespace nestbox::domain
