#include "domain/devices.hpp"

#include "domain/errors.hpp"
#include "domain/roles.hpp"
#include "security/device_keys.hpp"
#include "security/tokens.hpp"

namespace nestbox::domain {
namespace {

constexpr int64_t kEnrolmentSeconds = 10 * 60;
constexpr int64_t kChallengeSeconds = 60;

DomainError deviceNotFound() { return DomainError(ErrorKind::notFound, "not_found", "There is no such device."); }

void checkName(const std::string& name) {
  if (name.empty() || name.size() > 80) {
    throw DomainError(ErrorKind::invalid, "invalid", "Name the device in 1 to 80 characters, e.g. “Blue room iPad 2”.", "name");
  }
}

std::string folded(const std::string& name) {
  std::string out;
  for (const char c : name) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// Two tablets with one name cannot be told apart when one is reported lost (issue 16).
void DeviceService::requireUniqueName(const std::string& name, const std::string& exceptId) {
  for (const auto& d : devices_.devices()) {
    if (d.id != exceptId && folded(d.name) == folded(name)) {
      throw DomainError(ErrorKind::conflict, "name_taken",
                        "Another device is already called “" + d.name + "”. Give this one a name of its own: add its room or a number.",
                        "name");
    }
  }
}

void DeviceService::requireStaff(const Principal& p) { requireStaffRole(ctx_, p, "devices"); }

void DeviceService::requireManager(const Principal& p) { requireManagerRole(ctx_, p, "devices"); }

storage::DeviceRecord DeviceService::require(const std::string& deviceId) {
  auto device = devices_.device(deviceId);
  if (!device) throw deviceNotFound();
  return *device;
}

Enrolment DeviceService::issueCode(storage::DeviceRecord device) {
  const std::string code = ctx_.random.base32(10);  // 80 bits, like every one-time code here
  device.state = "pending";
  device.publicKey.reset();
  device.clientCertSha1.reset();  // a new enrolment replaces every earlier credential
  device.enrolmentCodeHash = security::sha256Hex(code);
  device.enrolmentExpiresAt = ctx_.clock.now() + kEnrolmentSeconds;
  return {device, security::groupCode(code), *device.enrolmentExpiresAt};
}

Enrolment DeviceService::create(const Principal& p, const std::string& name, const std::optional<std::string>& roomId) {
  requireManager(p);
  checkName(name);
  requireUniqueName(name, "");
  if (roomId && !journal_.room(*roomId)) throw DomainError(ErrorKind::invalid, "invalid", "Choose one of the rooms.", "room_id");
  storage::DeviceRecord d;
  d.id = newId(ctx_.random);
  d.name = name;
  d.roomId = roomId;
  d.createdBy = p.userId;
  d.createdAt = ctx_.clock.now();
  auto enrolment = issueCode(d);
  ctx_.store.transaction([&] {
    devices_.insertDevice(enrolment.device);
    ctx_.audit.record(Event::DeviceEnrolmentIssued, AuditActor::of(p), AuditTarget{"device", d.id}, {{"name", name}});
  });
  return enrolment;
}

Enrolment DeviceService::reEnrol(const Principal& p, const std::string& deviceId) {
  requireManager(p);
  auto enrolment = issueCode(require(deviceId));
  ctx_.store.transaction([&] {
    devices_.updateDevice(enrolment.device);
    devices_.endDeviceSessions(deviceId, ctx_.clock.now(), "device_re_enrolled");
    ctx_.audit.record(Event::DeviceEnrolmentIssued, AuditActor::of(p), AuditTarget{"device", deviceId},
                      {{"name", enrolment.device.name}, {"again", true}});
  });
  return enrolment;
}

storage::DeviceRecord DeviceService::rename(const Principal& p, const std::string& deviceId,
                                            const std::optional<std::string>& name,
                                            const std::optional<std::string>& roomId) {
  requireManager(p);
  auto d = require(deviceId);
  if (name) {
    checkName(*name);
    requireUniqueName(*name, d.id);
    d.name = *name;
  }
  if (roomId) {
    if (!roomId->empty() && !journal_.room(*roomId)) throw DomainError(ErrorKind::invalid, "invalid", "Choose one of the rooms.", "room_id");
    d.roomId = roomId->empty() ? std::nullopt : roomId;
  }
  ctx_.store.transaction([&] {
    devices_.updateDevice(d);
    ctx_.audit.record(Event::DeviceChanged, AuditActor::of(p), AuditTarget{"device", d.id}, {{"name", d.name}});
  });
  return d;
}

void DeviceService::acknowledge(const Principal& p, const std::string& deviceId) {
  requireManager(p);
  auto d = require(deviceId);
  d.alertAcknowledged = true;
  ctx_.store.transaction([&] {
    devices_.updateDevice(d);
    ctx_.audit.record(Event::DeviceAlertAcknowledged, AuditActor::of(p), AuditTarget{"device", d.id});
  });
}

storage::DeviceRecord DeviceService::enrol(const std::string& code, const std::string& publicKey, const RequestOrigin& origin) {
  const int64_t now = ctx_.clock.now();
  const std::string throttleKey = "enrol:" + origin.address;
  if (const auto wait = ctx_.throttle.lockedFor(throttleKey, now)) {
    throw DomainError(ErrorKind::throttled, "too_many_attempts", "Too many wrong codes from this network. Wait, then try again.",
                      "", *wait);
  }
  auto device = devices_.deviceByEnrolmentCode(security::sha256Hex(security::normaliseCode(code)));
  if (!device || device->state != "pending" || !device->enrolmentExpiresAt || now >= *device->enrolmentExpiresAt) {
    ctx_.throttle.recordFailure(throttleKey, kAccountThrottle, now);
    ctx_.audit.record(Event::DeviceEnrolmentRejected, AuditActor::anonymous(origin), std::nullopt,
                      {{"reason", device ? "expired_or_used" : "unknown_code"}});
    throw DomainError(ErrorKind::invalid, "invalid_code",
                      "That enrolment code is wrong, used or expired (codes last 10 minutes). Ask a manager for a new one.", "code");
  }
  if (!security::isP256PublicKey(publicKey)) {
    throw DomainError(ErrorKind::invalid, "invalid", "The device key is not a P-256 public key.", "public_key");
  }
  device->state = "active";
  device->publicKey = publicKey;
  device->enrolmentCodeHash.reset();
  device->enrolmentExpiresAt.reset();
  device->enrolledAt = now;
  device->lastAddress = origin.address;
  ctx_.store.transaction([&] {
    devices_.updateDevice(*device);
    ctx_.audit.record(Event::DeviceEnrolled, AuditActor::anonymous(origin), AuditTarget{"device", device->id},
                      {{"name", device->name}});
  });
  ctx_.throttle.clear(throttleKey);
  return *device;
}

std::string DeviceService::challenge(const std::string& deviceId) {
  const auto device = devices_.device(deviceId);
  if (!device || device->state != "active") throw deviceNotFound();
  unsigned char bytes[32];
  ctx_.random.fill(bytes, sizeof bytes);
  const std::string raw(reinterpret_cast<const char*>(bytes), sizeof bytes);
  const std::string encoded = security::base64Encode(raw);
  devices_.putChallenge(security::sha256Hex(encoded), deviceId, ctx_.clock.now() + kChallengeSeconds);
  return encoded;
}

bool DeviceService::verify(const std::string& deviceId, const std::string& challenge, const std::string& signature) {
  const auto issuedTo = devices_.takeChallenge(security::sha256Hex(challenge), ctx_.clock.now());
  if (!issuedTo || *issuedTo != deviceId) return false;
  const auto device = devices_.device(deviceId);
  if (!device || device->state != "active" || !device->publicKey || device->publicKey->empty()) return false;
  // The device signs the challenge text exactly as it received it.
  return security::verifyP256Signature(*device->publicKey, challenge, signature);
}

CertifiedDevice DeviceService::issueCertificate(const Principal& p, const std::string& deviceId, const std::string& tlsDir) {
  requireManager(p);
  auto d = require(deviceId);
  if (d.state == "revoked") {
    throw DomainError(ErrorKind::conflict, "device_revoked", "This device is revoked. Re-enrol it first.");
  }
  const std::string password = security::groupCode(ctx_.random.base32(10));
  auto certificate = security::issueClientCertificate(tlsDir, d.id, d.name, password, ctx_.clock.now());
  d.clientCertSha1 = certificate.sha1;
  if (d.state == "pending") {
    d.state = "active";
    d.publicKey = "";  // enrolled by certificate only: no browser key verifies
    d.enrolmentCodeHash.reset();
    d.enrolmentExpiresAt.reset();
    d.enrolledAt = ctx_.clock.now();
  }
  ctx_.store.transaction([&] {
    devices_.updateDevice(d);
    ctx_.audit.record(Event::DeviceCertificateIssued, AuditActor::of(p), AuditTarget{"device", d.id}, {{"name", d.name}});
  });
  return {d, std::move(certificate), password};
}

std::optional<std::string> DeviceService::deviceForCertificate(const std::string& sha1) {
  const auto d = devices_.deviceByClientCertificate(sha1);
  if (!d || d->state != "active") return std::nullopt;
  return d->id;
}

void DeviceService::touch(const std::string& deviceId, const std::string& userId, const std::string& address) {
  devices_.touchDevice(deviceId, ctx_.clock.now(), userId, address);
}

std::vector<storage::DeviceRecord> DeviceService::list(const Principal& p) {
  requireStaff(p);
  auto all = devices_.devices();
  for (auto& d : all) d.enrolmentCodeHash.reset();
  return all;
}

std::vector<storage::DeviceRecord> DeviceService::notSeen(const Principal& p) {
  requireManager(p);
  const int64_t seenSince = ctx_.clock.now() - int64_t{kNotSeenDays} * 86400;
  auto all = list(p);
  std::erase_if(all, [&](const storage::DeviceRecord& d) {
    return d.state != "active" || d.lastSeenAt.value_or(d.enrolledAt.value_or(0)) >= seenSince;
  });
  return all;
}

storage::DeviceRecord DeviceService::report(const Principal& p, const std::string& deviceId, const DeviceReport& r) {
  requireStaff(p);
  if (r.what != "lost" && r.what != "stolen" && r.what != "damaged") {
    throw DomainError(ErrorKind::invalid, "invalid", "Say whether the device was lost, stolen or damaged.", "what");
  }
  if (r.note.size() > 2000) throw DomainError(ErrorKind::invalid, "invalid", "Keep the note under 2000 characters.", "note");
  auto d = require(deviceId);
  const int64_t now = ctx_.clock.now();
  const auto unfinished = devices_.deviceUploads(deviceId);
  const int recent = devices_.deviceMediaSince(deviceId, now - 86400);
  const auto lastUser = d.lastUserId ? ctx_.store.userById(*d.lastUserId) : std::nullopt;
  d.state = "revoked";
  d.publicKey.reset();  // its key no longer verifies, whatever it signs
  d.clientCertSha1.reset();  // nor its certificate, though nginx still accepts it
  d.revokedAt = now;
  d.revokedBy = p.userId;
  d.revokedReason = r.what;
  d.revokedNote = r.note;
  d.alertAcknowledged = false;
  int sessions = 0;
  ctx_.store.transaction([&] {
    devices_.updateDevice(d);
    sessions = devices_.endDeviceSessions(deviceId, now, "device_revoked");
    ctx_.audit.record(Event::DeviceRevoked, AuditActor::of(p), AuditTarget{"device", d.id},
                      {{"name", d.name}, {"what", r.what}, {"note", r.note},
                       {"last_seen_at", d.lastSeenAt ? Json(*d.lastSeenAt) : Json(nullptr)},
                       {"last_user", lastUser ? Json(lastUser->username) : Json(nullptr)},
                       {"last_address", d.lastAddress ? Json(*d.lastAddress) : Json(nullptr)},
                       {"uploads_last_24h", recent}, {"unfinished_uploads_discarded", unfinished.size()},
                       {"sessions_ended", sessions}});
  });
  for (const auto& uploadId : unfinished) media_.discardUpload(uploadId, "device_revoked");
  return d;
}

}  // namespace nestbox::domain
