#include "domain/media.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "core/log.hpp"
#include "domain/errors.hpp"
#include "domain/redaction.hpp"
#include "system/files.hpp"

namespace nestbox::domain {
namespace {

DomainError uploadNotFound() {
  return DomainError(ErrorKind::notFound, "not_found", "There is no such upload. Start the upload again.");
}
DomainError mediaNotFound() { return DomainError(ErrorKind::notFound, "not_found", "There is no such photo or file."); }

std::string humanBytes(int64_t bytes) {
  if (bytes >= (1LL << 30)) return std::to_string(bytes >> 30) + " GiB";
  return std::to_string(bytes >> 20) + " MiB";
}

DomainError fromMediaError(const media::MediaError& e) {
  switch (e.kind) {
    case media::MediaError::Kind::unsupported: return DomainError(ErrorKind::unsupportedType, "unsupported_media_type", e.what());
    case media::MediaError::Kind::tooLarge: return DomainError(ErrorKind::unprocessable, "media_too_large", e.what());
    case media::MediaError::Kind::corrupt: break;
  }
  return DomainError(ErrorKind::unprocessable, "unreadable_media", e.what());
}

std::optional<media::Sniffed> sniffFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string head(media::kSniffBytes, '\0');
  const ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  head.resize(static_cast<std::size_t>(n));
  return media::sniff(head);
}

int64_t fileSize(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

// A file name shown to staff: printable, at most 200 bytes; never used as a path.
std::string cleanFilename(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f && c != '/' && c != '\\') out += c;
  }
  return out.substr(0, 200);
}

}  // namespace

std::optional<MediaVariant> mediaVariantFromName(const std::string& name) {
  if (name == "thumbnail") return MediaVariant::thumbnail;
  if (name == "display") return MediaVariant::display;
  if (name == "original") return MediaVariant::original;
  return std::nullopt;
}

MediaService::MediaService(Context& ctx, storage::JournalStore& journal, ChildrenService& children,
                           SettingsService& settings, AccessPolicy& access, storage::MediaFiles& files,
                           media::MediaProcessor& processor, system::Executor& workers, const system::Disk& disk,
                           MediaLimits limits)
    : ctx_(ctx), journal_(journal), children_(children), settings_(settings), access_(access), files_(files),
      processor_(processor), workers_(workers), disk_(disk), limits_(limits) {}

void MediaService::requireUploader(const Principal& p) {
  children_.requireAgreement(p);
  access_.requireRecordingPlace(p, Event::UploadRefusedNetwork);
}

storage::UploadRecord MediaService::requireOwnUpload(const Principal& p, const std::string& uploadId) {
  auto upload = journal_.upload(uploadId);
  if (!upload || upload->userId != p.userId) throw uploadNotFound();
  if (upload->quarantinedAt) {
    throw DomainError(ErrorKind::conflict, "upload_quarantined",
                      "A lockdown stopped this upload; it is kept aside for checking and will not be used. Send the file again.");
  }
  if (ctx_.clock.now() >= upload->expiresAt) {
    removeUpload(*upload);
    logEvent(Event::UploadExpired, {{"upload", upload->id}});
    throw DomainError(ErrorKind::gone, "upload_expired", "This upload was not finished within a day and has expired. Send the file again.");
  }
  return *upload;
}

void MediaService::removeUpload(const storage::UploadRecord& upload) {
  journal_.deleteUpload(upload.id);
  system::removeFileIfExists(files_.partPath(upload.id));
}

UploadStatus MediaService::createUpload(const Principal& p, int64_t length, const std::string& filename) {
  requireUploader(p);
  expireUploads();
  if (length <= 0) throw DomainError(ErrorKind::invalid, "invalid", "Say how many bytes the file has (Upload-Length).", "Upload-Length");
  if (length > limits_.maxUploadBytes) {
    throw DomainError(ErrorKind::tooLarge, "file_too_large",
                      "This file is larger than the box accepts (" + humanBytes(limits_.maxUploadBytes) + ").");
  }
  // The upload, and the processed copy written before the upload is let go, must leave the
  // reserve untouched — after what unfinished uploads may still write.
  const auto space = measureSpace();
  if (space.freeBytes - space.unfinishedBytes - 2 * length < space.reserveBytes) {
    ctx_.audit.record(Event::UploadRefusedSpace, AuditActor::of(p), std::nullopt,
                      {{"bytes", length}, {"free", space.freeBytes}, {"reserve", space.reserveBytes},
                       {"unfinished", space.unfinishedBytes}});
    throw DomainError(ErrorKind::insufficientStorage, "storage_full",
                      "The box is nearly full, so it cannot take this file (" + humanBytes(space.freeBytes) +
                          " free, " + humanBytes(space.reserveBytes) +
                          " kept for the journal itself). Ask a manager: the home page shows the space used; "
                          "IT support can add a larger card or disk.");
  }
  storage::UploadRecord u;
  u.id = newId(ctx_.random);
  u.userId = p.userId;
  u.deviceId = p.deviceId;
  u.length = length;
  u.filename = cleanFilename(filename);
  u.createdAt = ctx_.clock.now();
  u.expiresAt = u.createdAt + limits_.uploadLifetimeSeconds;
  // The file first: a crash before the row leaves an orphan part file, which check() removes.
  const std::string part = files_.partPath(u.id);
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("cannot create " + part + ": " + std::strerror(errno));
  ::close(fd);
  journal_.insertUpload(u);
  logEvent(Event::UploadCreated, {{"upload", u.id}, {"bytes", std::to_string(length)}});
  return {u.id, u.length, 0, u.expiresAt, false};
}

UploadStatus MediaService::uploadStatus(const Principal& p, const std::string& uploadId) {
  const auto u = requireOwnUpload(p, uploadId);
  return {u.id, u.length, u.received, u.expiresAt, false};
}

void MediaService::terminateUpload(const Principal& p, const std::string& uploadId) {
  const auto u = requireOwnUpload(p, uploadId);
  {
    std::lock_guard lock(busyMutex_);
    if (busyUploads_.contains(uploadId)) {
      throw DomainError(ErrorKind::conflict, "upload_busy", "This upload is still receiving data; try again when it stops.");
    }
  }
  removeUpload(u);
  logEvent(Event::UploadTerminated, {{"upload", u.id}});
}

void MediaService::discardUpload(const std::string& uploadId, const std::string& reason) {
  const auto u = journal_.upload(uploadId);
  if (!u) return;
  removeUpload(*u);
  logEvent(Event::UploadTerminated, {{"upload", uploadId}, {"reason", reason}});
}

int MediaService::expireUploads() {
  int removed = 0;
  const int64_t now = ctx_.clock.now();
  for (const auto& u : journal_.uploads()) {
    if (now < u.expiresAt || u.quarantinedAt) continue;  // quarantined: kept for IT support to check
    {
      std::lock_guard lock(busyMutex_);
      if (busyUploads_.contains(u.id)) continue;
    }
    removeUpload(u);
    logEvent(Event::UploadExpired, {{"upload", u.id}});
    ++removed;
  }
  return removed;
}

void MediaService::release(const std::string& uploadId) {
  std::lock_guard lock(busyMutex_);
  busyUploads_.erase(uploadId);
}

// Checks the type as soon as the first bytes are durable-enough to read (they are in the
// page cache of the part file), and the byte limit of that type.
void MediaService::sniffAndCheck(storage::UploadRecord& u) {
  if (u.mime) return;
  const auto sniffed = sniffFile(files_.partPath(u.id));
  auto refuse = [&](ErrorKind kind, const std::string& code, const std::string& message) {
    removeUpload(u);
    ctx_.audit.record(Event::UploadRejected, AuditActor{u.userId, {}, {}, {}}, AuditTarget{"upload", u.id},
                      {{"reason", code}, {"bytes", u.length}});
    throw DomainError(kind, code, message);
  };
  if (!sniffed) {
    refuse(ErrorKind::unsupportedType, "unsupported_media_type",
           "This kind of file is not accepted. Send a photo (JPEG, PNG, HEIC), a video (MP4, MOV, WebM) or a PDF.");
  }
  const int64_t limit = sniffed->kind == "image" ? limits_.maxImageBytes
                        : sniffed->kind == "document" ? limits_.maxDocumentBytes
                                                      : limits_.maxUploadBytes;
  if (u.length > limit) {
    refuse(ErrorKind::tooLarge, "file_too_large",
           "This " + std::string(sniffed->kind == "image" ? "photo" : sniffed->kind) + " is larger than the box accepts (" +
               humanBytes(limit) + ").");
  }
  u.mime = sniffed->mime;
  u.kind = sniffed->kind;
  journal_.updateUpload(u);
}

class MediaService::Append final : public UploadAppend {
 public:
  Append(MediaService& service, const Principal& p, storage::UploadRecord upload, std::optional<int64_t> requestLength,
         std::optional<UploadChecksum> checksum)
      : service_(service), principal_(p), upload_(std::move(upload)), start_(upload_.received),
        requestLength_(requestLength), checksum_(std::move(checksum)) {
    const std::string part = service_.files_.partPath(upload_.id);
    fd_ = ::open(part.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) {
      service_.release(upload_.id);
      throw std::runtime_error("cannot open " + part + ": " + std::strerror(errno));
    }
    if (checksum_) {
      const EVP_MD* md = checksum_->algorithm == "sha1" ? EVP_sha1() : EVP_sha256();
      digest_ = EVP_MD_CTX_new();
      EVP_DigestInit_ex(digest_, md, nullptr);
    }
  }

  ~Append() override {
    if (fd_ >= 0) ::close(fd_);
    if (digest_) EVP_MD_CTX_free(digest_);
    service_.release(upload_.id);
  }

  void write(std::string_view piece) override {
    if (start_ + written_ + static_cast<int64_t>(piece.size()) > upload_.length) {
      throw DomainError(ErrorKind::conflict, "beyond_length", "More bytes were sent than the upload's length.");
    }
    if (requestLength_ && written_ + static_cast<int64_t>(piece.size()) > *requestLength_) {
      throw DomainError(ErrorKind::invalid, "invalid", "More bytes were sent than Content-Length said.", "Content-Length");
    }
    std::size_t done = 0;
    while (done < piece.size()) {
      const ssize_t n = ::pwrite(fd_, piece.data() + done, piece.size() - done, start_ + written_ + static_cast<int64_t>(done));
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error(std::string("cannot write upload data: ") + std::strerror(errno));
      }
      done += static_cast<std::size_t>(n);
    }
    if (digest_) EVP_DigestUpdate(digest_, piece.data(), piece.size());
    written_ += static_cast<int64_t>(piece.size());
    // Refuse a wrong type at its first bytes, not after a whole video has arrived.
    const int64_t head = std::min<int64_t>(static_cast<int64_t>(media::kSniffBytes), upload_.length);
    if (!upload_.mime && start_ + written_ >= head) service_.sniffAndCheck(upload_);
  }

  UploadStatus finish() override {
    if (::fdatasync(fd_) != 0) throw std::runtime_error(std::string("cannot sync upload data: ") + std::strerror(errno));
    if (checksum_) {
      unsigned char digest[EVP_MAX_MD_SIZE];
      unsigned int size = 0;
      EVP_DigestFinal_ex(digest_, digest, &size);
      if (std::string(reinterpret_cast<const char*>(digest), size) != checksum_->digest) {
        cutBack();
        throw DomainError(ErrorKind::checksumMismatch, "checksum_mismatch",
                          "The data arrived damaged (its checksum did not match). Send this part again.");
      }
    }
    upload_.received = start_ + written_;
    service_.journal_.updateUpload(upload_);
    if (upload_.received < upload_.length) return {upload_.id, upload_.length, upload_.received, upload_.expiresAt, false};
    service_.complete(principal_, upload_);
    return {upload_.id, upload_.length, upload_.length, upload_.expiresAt, true};
  }

  void abandon() override {
    if (checksum_) {  // unverifiable without all of this request's bytes
      cutBack();
      return;
    }
    ::fdatasync(fd_);
    upload_.received = start_ + written_;
    service_.journal_.updateUpload(upload_);
  }

 private:
  void cutBack() {
    if (::ftruncate(fd_, start_) == 0) ::fdatasync(fd_);
    written_ = 0;
  }

  MediaService& service_;
  Principal principal_;
  storage::UploadRecord upload_;
  int64_t start_;
  int64_t written_ = 0;
  std::optional<int64_t> requestLength_;
  std::optional<UploadChecksum> checksum_;
  int fd_ = -1;
  EVP_MD_CTX* digest_ = nullptr;
};

std::unique_ptr<UploadAppend> MediaService::append(const Principal& p, const std::string& uploadId, int64_t offset,
                                                   std::optional<int64_t> requestLength,
                                                   std::optional<UploadChecksum> checksum) {
  auto u = requireOwnUpload(p, uploadId);
  access_.requireRecordingPlace(p, Event::UploadRefusedNetwork);
  if (offset != u.received) {
    throw DomainError(ErrorKind::conflict, "offset_mismatch",
                      "The upload is at byte " + std::to_string(u.received) + ", not " + std::to_string(offset) +
                          ". Ask for the offset (HEAD) and continue from there.");
  }
  if (checksum && checksum->algorithm != "sha1" && checksum->algorithm != "sha256") {
    throw DomainError(ErrorKind::invalid, "checksum_algorithm", "Use a sha1 or sha256 checksum.", "Upload-Checksum");
  }
  {
    std::lock_guard lock(busyMutex_);
    if (!busyUploads_.insert(uploadId).second) {
      throw DomainError(ErrorKind::conflict, "upload_busy", "This upload is already receiving data from another request.");
    }
  }
  // From here the Append owns the busy mark and releases it however it ends.
  return std::make_unique<Append>(*this, p, std::move(u), requestLength, std::move(checksum));
}

void MediaService::complete(const Principal& p, storage::UploadRecord& u) {
  sniffAndCheck(u);
  const auto format = sniffFile(files_.partPath(u.id));
  media::Probe probe;
  try {
    if (!format) throw media::MediaError(media::MediaError::Kind::unsupported, "This kind of file is not accepted.");
    probe = processor_.probe(files_.partPath(u.id), format->format);
  } catch (const media::MediaError& e) {
    removeUpload(u);
    ctx_.audit.record(Event::UploadRejected, AuditActor::of(p), AuditTarget{"upload", u.id},
                      {{"reason", e.kind == media::MediaError::Kind::tooLarge ? "limits" : "unreadable"}});
    throw fromMediaError(e);
  }
  files_.moveToIncoming(u.id, u.id);
  finishCompletion(u, probe);
}

// The second half of completing an upload, also run by recover() when a crash came between
// the rename to incoming/ and this transaction.
void MediaService::finishCompletion(storage::UploadRecord& u, const media::Probe& probe) {
  storage::MediaRecord m;
  m.id = u.id;  // the client knows its upload's id; the item it became has the same one
  m.kind = u.kind.value_or("image");
  m.mime = u.mime.value_or("application/octet-stream");
  m.bytes = u.length;
  if (probe.width) m.width = probe.width;
  if (probe.height) m.height = probe.height;
  m.durationMs = probe.durationMs;
  m.state = "processing";
  m.uploadedBy = u.userId;
  m.createdAt = ctx_.clock.now();
  ctx_.store.transaction([&] {
    journal_.insertMedia(m);
    journal_.deleteUpload(u.id);
    // Who sent it and from which tablet (a box-camera photo: who took it), named in the audit
    // log as managers read it (issue 32).
    ctx_.audit.record(Event::MediaReceived, AuditActor{u.userId, {}, {}, u.deviceId}, AuditTarget{"media", m.id},
                      {{"kind", m.kind}, {"bytes", m.bytes}});
  });
  workers_.post([this, id = m.id] { process(id); });
}

void MediaService::processNow(const std::string& mediaId) { process(mediaId); }

SpaceReport MediaService::measureSpace() {
  SpaceReport r;
  const auto usage = disk_.usage();
  r.totalBytes = usage.totalBytes;
  r.freeBytes = usage.freeBytes;
  r.reserveBytes = settings_.storageReserve(usage.totalBytes);
  for (const auto& u : journal_.uploads()) {
    if (!u.quarantinedAt) r.unfinishedBytes += std::max<int64_t>(0, u.length - u.received);
  }
  const int64_t room = r.freeBytes - r.unfinishedBytes;
  r.state = room < r.reserveBytes ? "full" : room < 2 * r.reserveBytes ? "low" : "ok";
  return r;
}

SpaceReport MediaService::space(const Principal& p) {
  children_.requireManager(p);
  auto r = measureSpace();
  r.mediaBytes = journal_.mediaBytes();
  return r;
}

void MediaService::makeDerivatives(const std::string& sha256, const std::string& mime) {
  const std::string thumb = files_.tempPath(sha256.substr(0, 8) + ".thumb.jpg");
  const std::string display = files_.tempPath(sha256.substr(0, 8) + ".display.jpg");
  try {
    processor_.makeDerivatives(files_.objectPath(sha256), mime, thumb, display);
    files_.commitDerived(thumb, sha256, "thumb");
    files_.commitDerived(display, sha256, "display");
  } catch (...) {
    system::removeFileIfExists(thumb);
    system::removeFileIfExists(display);
    throw;
  }
}

void MediaService::process(const std::string& mediaId) {
  auto m = journal_.media(mediaId);
  if (!m || m->state != "processing") return;
  const std::string incoming = files_.incomingPath(mediaId);
  const std::string temp = files_.tempPath(mediaId.substr(0, 8) + ".original");
  try {
    const auto format = sniffFile(incoming);
    if (!format) throw media::MediaError(media::MediaError::Kind::corrupt, "The received file is missing or unreadable.");
    const auto stored = processor_.storeOriginal(incoming, format->format, temp);
    const std::string sha = files_.commitObject(temp);
    try {
      makeDerivatives(sha, stored.mime);
    } catch (const media::MediaError&) {
      if (m->kind != "document") throw;  // a PDF without a preview is still a PDF
    }
    m->sha256 = sha;
    m->mime = stored.mime;
    m->bytes = fileSize(files_.objectPath(sha));
    m->width = stored.probe.width ? std::optional<int64_t>(stored.probe.width) : std::nullopt;
    m->height = stored.probe.height ? std::optional<int64_t>(stored.probe.height) : std::nullopt;
    m->durationMs = stored.probe.durationMs;
    m->state = "ready";
    journal_.updateMedia(*m);
    system::removeFileIfExists(incoming);
    logEvent(Event::MediaProcessed, {{"media", mediaId}, {"kind", m->kind}});
  } catch (const std::exception& e) {
    system::removeFileIfExists(temp);
    m->state = "failed";
    journal_.updateMedia(*m);
    system::removeFileIfExists(incoming);
    logEvent(Event::MediaFailed, {{"media", mediaId}, {"error", e.what()}});
  }
}

storage::MediaRecord MediaService::get(const Principal& p, const std::string& mediaId) {
  auto m = journal_.media(mediaId);
  if (!m) throw mediaNotFound();
  if (p.childViewOf) throw mediaNotFound();
  if (p.role == Role::parent && m->uploadedBy != p.userId) throw mediaNotFound();
  return *m;
}

MediaAudience MediaService::audience(const Principal& p, const std::string& mediaId,
                                     const std::vector<std::string>& childIds) {
  children_.requireStaff(p);
  const auto m = journal_.media(mediaId);
  if (!m) throw mediaNotFound();
  for (const auto& id : childIds) {
    if (!journal_.child(id)) {
      throw DomainError(ErrorKind::invalid, "invalid", "One of the children does not exist.", "child_ids");
    }
  }
  return access_.mediaAudience(*m, childIds);
}

ServedMedia MediaService::locate(const Principal& p, const std::string& mediaId, MediaVariant variant) {
  const auto m = journal_.media(mediaId);
  if (!m) throw mediaNotFound();
  children_.requireAgreement(p);
  const MediaCopy copy = access_.mediaCopy(p, *m);
  if (copy == MediaCopy::none) throw mediaNotFound();
  if (m->state == "processing") {
    throw DomainError(ErrorKind::conflict, "processing", "This is still being prepared. Try again in a moment.");
  }
  const std::string sha = copy == MediaCopy::original ? m->sha256.value_or("") : m->redactedSha256.value_or("");
  if (sha.empty()) throw mediaNotFound();
  const std::string ext = media::extensionForMime(m->mime);
  if (variant == MediaVariant::original) {
    return {files_.objectRelative(sha), m->mime, "nestbox-" + m->id.substr(0, 8) + "." + ext};
  }
  const std::string name = variant == MediaVariant::thumbnail ? "thumb" : "display";
  if (!system::fileExists(files_.derivedPath(sha, name))) {
    throw DomainError(ErrorKind::notFound, "no_preview", "There is no preview of this file.");
  }
  return {files_.derivedRelative(sha, name), "image/jpeg", "nestbox-" + m->id.substr(0, 8) + "-" + name + ".jpg"};
}

storage::MediaRecord MediaService::redact(const Principal& p, const std::string& mediaId,
                                          const std::vector<media::Region>& regions,
                                          const std::vector<std::string>& obscuredChildIds, bool keepOriginal,
                                          bool obscureErased) {
  children_.requireStaff(p);
  auto m = journal_.media(mediaId);
  if (!m) throw mediaNotFound();
  if (m->kind != "image") throw DomainError(ErrorKind::invalid, "invalid", "Only photos can be redacted.", "regions");
  if (m->state != "ready") throw DomainError(ErrorKind::conflict, "processing", "This photo is still being prepared.");
  if (regions.empty() || regions.size() > 50) {
    throw DomainError(ErrorKind::invalid, "invalid", "Mark between 1 and 50 areas to obscure.", "regions");
  }
  const int64_t width = m->width.value_or(0), height = m->height.value_or(0);
  for (const auto& r : regions) {
    if (r.x < 0 || r.y < 0 || r.width < 1 || r.height < 1 || r.x + r.width > width || r.y + r.height > height) {
      throw DomainError(ErrorKind::invalid, "invalid", "Each area must lie inside the photo.", "regions");
    }
  }
  // A child obscured is a child in the photo: tagged from now on (marked obscured), so the
  // consent rule knows the redacted copy hides them — also before the photo joins an entry.
  for (const auto& id : obscuredChildIds) {
    if (!journal_.child(id)) {
      throw DomainError(ErrorKind::invalid, "invalid", "One of the children to obscure does not exist.", "obscured_child_ids");
    }
    const bool tagged = std::any_of(m->children.begin(), m->children.end(),
                                    [&](const storage::MediaTagRecord& t) { return t.childId == id; });
    if (!tagged) m->children.push_back({id, true});
  }
  std::sort(m->children.begin(), m->children.end(), [](const auto& x, const auto& y) { return x.childId < y.childId; });
  // A second redaction starts from the original while staff keep it (the areas marked now are
  // then all there are), else over the redacted copy, whose areas stay hidden.
  std::vector<storage::RedactedArea> marked;
  for (const auto& r : regions) marked.push_back({r.x, r.y, r.width, r.height, r.pixelate});
  if (!m->sha256) marked = unionOfAreas(m->redactionRegions, marked);
  const int margin = settings_.redactionMarginPct();
  const std::string source = m->sha256.value_or(m->redactedSha256.value_or(""));
  const std::string temp = files_.tempPath(mediaId.substr(0, 8) + ".redacted");
  std::string redactedSha;
  try {
    processor_.redact(files_.objectPath(source), m->mime, redactionAreas(marked, margin, width, height), temp);
    redactedSha = files_.commitObject(temp);
    makeDerivatives(redactedSha, m->mime);
  } catch (const media::MediaError& e) {
    system::removeFileIfExists(temp);
    throw fromMediaError(e);
  }
  const auto previousRedacted = m->redactedSha256;
  const auto previousOriginal = m->sha256;
  m->redactedSha256 = redactedSha;
  m->redaction = "cover";
  m->redactionRegions = marked;
  m->redactionMargin = margin;
  if (!keepOriginal) m->sha256.reset();
  for (auto& tag : m->children) {
    tag.obscured = std::find(obscuredChildIds.begin(), obscuredChildIds.end(), tag.childId) != obscuredChildIds.end();
  }
  // The marker speaks of the redacted copy, which this one replaces.
  if (!m->erasedChild.empty()) m->erasedChild = obscureErased ? "obscured" : "shown";
  ctx_.store.transaction([&] {
    journal_.updateMedia(*m);
    journal_.setMediaChildren(m->id, m->children);
    ctx_.audit.record(Event::MediaRedacted, AuditActor::of(p), AuditTarget{"media", m->id},
                      {{"regions", regions.size()}, {"obscured", obscuredChildIds.size()}, {"margin_pct", margin},
                       {"pixelated", std::count_if(regions.begin(), regions.end(), [](const auto& r) { return r.pixelate; })},
                       {"erased_child", m->erasedChild},
                       {"original", keepOriginal ? "kept_for_staff" : "deleted"}});
  });
  // Files go after the rows that named them; a crash in between leaves orphans for check().
  for (const auto& old : {previousRedacted, keepOriginal ? std::optional<std::string>() : previousOriginal}) {
    if (old && *old != redactedSha && !journal_.hashReferenced(*old)) files_.removeObject(*old);
  }
  return *m;
}

Json MediaService::coverAgain(std::size_t batch) {
  const int margin = settings_.redactionMarginPct();
  int covered = 0, failed = 0, toMark = 0;
  for (auto m : journal_.mediaToCoverAgain(margin)) {
    const auto what = domain::coverAgain(m, margin);
    if (what == CoverAgain::markAgain) {
      ++toMark;  // families get none of it meanwhile (media_consent.hpp)
      continue;
    }
    if (what != CoverAgain::cover || static_cast<std::size_t>(covered + failed) >= batch) continue;
    // Over the stored redacted copy (the original is usually gone): what it hid stays hidden,
    // and the larger areas are filled on top.
    const std::string old = *m.redactedSha256;
    const std::string temp = files_.tempPath(m.id.substr(0, 8) + ".covered");
    try {
      processor_.redact(files_.objectPath(old), m.mime,
                        redactionAreas(m.redactionRegions, margin, m.width.value_or(0), m.height.value_or(0)), temp);
      m.redactedSha256 = files_.commitObject(temp);
      makeDerivatives(*m.redactedSha256, m.mime);
    } catch (const media::MediaError& e) {
      system::removeFileIfExists(temp);
      logEvent(Event::MediaFailed, {{"media", m.id}, {"error", e.what()}});
      ++failed;
      continue;
    }
    m.redactionMargin = margin;
    ctx_.store.transaction([&] {
      journal_.updateMedia(m);
      ctx_.audit.record(Event::MediaCoveredAgain, AuditActor::box(), AuditTarget{"media", m.id},
                        {{"margin_pct", margin}, {"regions", m.redactionRegions.size()}});
    });
    if (*m.redactedSha256 != old && !journal_.hashReferenced(old)) files_.removeObject(old);
    ++covered;
  }
  return {{"covered", covered}, {"failed", failed}, {"to_mark_again", toMark}, {"margin_pct", margin}};
}

int MediaService::countToMarkAgain() {
  const int margin = settings_.redactionMarginPct();
  const auto items = journal_.mediaToCoverAgain(margin);
  return static_cast<int>(std::count_if(items.begin(), items.end(), [&](const storage::MediaRecord& m) {
    return domain::coverAgain(m, margin) == CoverAgain::markAgain;
  }));
}

std::vector<MediaService::ToMarkAgain> MediaService::toMarkAgain(const Principal& p) {
  children_.requireStaff(p);
  const int margin = settings_.redactionMarginPct();
  std::vector<ToMarkAgain> out;
  for (const auto& m : journal_.mediaToCoverAgain(margin)) {
    if (domain::coverAgain(m, margin) != CoverAgain::markAgain) continue;
    ToMarkAgain item{m.id, m.entryId, std::nullopt};
    if (m.entryId) {
      if (const auto entry = journal_.entry(*m.entryId)) item.entryTitle = entry->title;
    }
    out.push_back(std::move(item));
  }
  return out;
}

void MediaService::recover() {
  files_.clearTemp();
  for (auto u : journal_.uploads()) {
    const std::string part = files_.partPath(u.id);
    const int64_t size = fileSize(part);
    if (size > u.received) {
      // Bytes past the acknowledged offset were never confirmed to the client.
      if (::truncate(part.c_str(), u.received) == 0) {
        logEvent(Event::UploadRecovered, {{"upload", u.id}, {"offset", std::to_string(u.received)}});
      }
    } else if (size < 0 && u.received == u.length && system::fileExists(files_.incomingPath(u.id))) {
      media::Probe probe;  // dimensions come again from processing
      finishCompletion(u, probe);
    }
  }
  for (const auto& m : journal_.mediaInState("processing")) {
    workers_.post([this, id = m.id] { process(id); });
  }
  expireUploads();
}

void MediaService::removeUnreferenced(const std::vector<std::string>& hashes) {
  for (const auto& h : hashes) {
    if (!h.empty() && !journal_.hashReferenced(h)) files_.removeObject(h);
  }
}

MediaCheckReport MediaService::check(bool repair) {
  MediaCheckReport r;
  const auto hashes = journal_.mediaHashes();
  const std::set<std::string> referenced(hashes.begin(), hashes.end());
  for (const auto& sha : files_.objectHashes()) {
    if (referenced.contains(sha)) continue;
    ++r.orphanObjects;
    if (repair) { files_.removeObject(sha); ++r.repaired; }
  }
  for (const auto& path : files_.derivedFiles()) {
    const std::string name = path.substr(path.rfind('/') + 1);
    if (referenced.contains(name.substr(0, 64))) continue;
    ++r.orphanDerived;
    if (repair) { system::removeFileIfExists(path); ++r.repaired; }
  }
  const auto uploads = journal_.uploads();
  std::set<std::string> uploadIds;
  for (const auto& u : uploads) {
    uploadIds.insert(u.id);
    if (fileSize(files_.partPath(u.id)) < 0) {
      ++r.missingParts;
      if (repair) { journal_.deleteUpload(u.id); ++r.repaired; }
    }
  }
  for (const auto& id : files_.partIds()) {
    if (uploadIds.contains(id)) continue;
    ++r.orphanParts;
    if (repair) { system::removeFileIfExists(files_.partPath(id)); ++r.repaired; }
  }
  std::set<std::string> processing;
  for (const auto& m : journal_.mediaInState("processing")) processing.insert(m.id);
  for (const auto& id : files_.incomingIds()) {
    if (processing.contains(id)) continue;
    ++r.orphanParts;
    if (repair) { system::removeFileIfExists(files_.incomingPath(id)); ++r.repaired; }
  }
  for (const auto& id : processing) {
    if (system::fileExists(files_.incomingPath(id))) {
      ++r.resumedProcessing;
      if (repair) { process(id); ++r.repaired; }
    } else {
      ++r.missingObjects;
      if (repair) {
        auto m = journal_.media(id);
        m->state = "failed";
        journal_.updateMedia(*m);
        ++r.repaired;
      }
    }
  }
  for (auto m : journal_.mediaInState("ready")) {
    bool missing = false;
    for (const auto& sha : {m.sha256, m.redactedSha256}) {
      if (!sha) continue;
      if (!system::fileExists(files_.objectPath(*sha))) {
        missing = true;
        continue;
      }
      const bool derivedMissing = !system::fileExists(files_.derivedPath(*sha, "thumb")) ||
                                  !system::fileExists(files_.derivedPath(*sha, "display"));
      if (derivedMissing && m.kind != "document") {
        ++r.missingDerived;
        if (repair) {
          try {
            makeDerivatives(*sha, m.mime);
            ++r.repaired;
          } catch (const std::exception&) {
          }
        }
      }
    }
    if (missing) {
      ++r.missingObjects;
      if (repair) {
        m.state = "failed";
        journal_.updateMedia(m);
        ++r.repaired;
      }
    }
  }
  if (repair) files_.clearTemp();
  if (!r.consistent()) {
    logEvent(Event::MediaCheckFound,
             {{"orphan_objects", std::to_string(r.orphanObjects)}, {"orphan_derived", std::to_string(r.orphanDerived)},
              {"orphan_parts", std::to_string(r.orphanParts)}, {"missing_parts", std::to_string(r.missingParts)},
              {"missing_objects", std::to_string(r.missingObjects)}, {"missing_derived", std::to_string(r.missingDerived)},
              {"resumed", std::to_string(r.resumedProcessing)}});
  }
  logEvent(Event::MediaCheckDone, {{"consistent", r.consistent() ? "yes" : "no"}, {"repaired", std::to_string(r.repaired)}});
  return r;
}

}  // namespace nestbox::domain
