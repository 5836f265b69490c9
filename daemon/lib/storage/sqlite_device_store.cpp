// The device half of SqliteStore (see device_store.hpp).
#include "storage/sqlite_store.hpp"

namespace nestbox::storage {
namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

constexpr const char* kDeviceColumns =
    "id, name, room_id, state, public_key, enrolment_code_hash, enrolment_expires_at, created_by, created_at, "
    "enrolled_at, revoked_at, revoked_by, revoked_reason, revoked_note, alert_acknowledged, last_seen_at, "
    "last_user_id, last_address, client_cert_sha1";

DeviceRecord readDevice(const Statement& s) {
  DeviceRecord d;
  d.id = s.text(0);
  d.name = s.text(1);
  d.roomId = s.optionalText(2);
  d.state = s.text(3);
  d.publicKey = s.optionalText(4);
  d.enrolmentCodeHash = s.optionalText(5);
  d.enrolmentExpiresAt = s.optionalInteger(6);
  d.createdBy = s.text(7);
  d.createdAt = s.integer(8);
  d.enrolledAt = s.optionalInteger(9);
  d.revokedAt = s.optionalInteger(10);
  d.revokedBy = s.optionalText(11);
  d.revokedReason = s.text(12);
  d.revokedNote = s.text(13);
  d.alertAcknowledged = s.integer(14) != 0;
  d.lastSeenAt = s.optionalInteger(15);
  d.lastUserId = s.optionalText(16);
  d.lastAddress = s.optionalText(17);
  d.clientCertSha1 = s.optionalText(18);
  return d;
}

void bindDevice(Statement& s, const DeviceRecord& d) {
  s.bind(1, d.id).bind(2, d.name).bind(3, d.roomId).bind(4, d.state).bind(5, d.publicKey).bind(6, d.enrolmentCodeHash);
  s.bind(7, d.enrolmentExpiresAt);
  s.bind(8, d.createdBy).bind(9, d.createdAt);
  s.bind(10, d.enrolledAt);
  s.bind(11, d.revokedAt);
  s.bind(12, d.revokedBy).bind(13, d.revokedReason).bind(14, d.revokedNote).bind(15, d.alertAcknowledged);
  s.bind(16, d.lastSeenAt);
  s.bind(17, d.lastUserId).bind(18, d.lastAddress).bind(19, d.clientCertSha1);
}

}  // namespace

void SqliteStore::insertDevice(const DeviceRecord& d) {
  Lock lock(mutex_);
  auto s = db_->prepare((std::string("INSERT INTO devices (") + kDeviceColumns +
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)").c_str());
  bindDevice(s, d);
  s.run();
}

void SqliteStore::updateDevice(const DeviceRecord& d) {
  Lock lock(mutex_);
  auto s = db_->prepare(
      "UPDATE devices SET name = ?2, room_id = ?3, state = ?4, public_key = ?5, enrolment_code_hash = ?6, "
      "enrolment_expires_at = ?7, created_by = ?8, created_at = ?9, enrolled_at = ?10, revoked_at = ?11, "
      "revoked_by = ?12, revoked_reason = ?13, revoked_note = ?14, alert_acknowledged = ?15, last_seen_at = ?16, "
      "last_user_id = ?17, last_address = ?18, client_cert_sha1 = ?19 WHERE id = ?1");
  bindDevice(s, d);
  s.run();
}

std::optional<DeviceRecord> SqliteStore::device(const std::string& id) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE id = ?1").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return readDevice(s);
}

std::optional<DeviceRecord> SqliteStore::deviceByEnrolmentCode(const std::string& codeHash) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE enrolment_code_hash = ?1").c_str());
  s.bind(1, codeHash);
  if (!s.step()) return std::nullopt;
  return readDevice(s);
}

std::optional<DeviceRecord> SqliteStore::deviceByClientCertificate(const std::string& sha1) {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kDeviceColumns + " FROM devices WHERE client_cert_sha1 = ?1").c_str());
  s.bind(1, sha1);
  if (!s.step()) return std::nullopt;
  return readDevice(s);
}

std::vector<DeviceRecord> SqliteStore::devices() {
  auto reader = reading();
  auto s = reader.db.prepare((std::string("SELECT ") + kDeviceColumns + " FROM devices ORDER BY name COLLATE NOCASE, id").c_str());
  std::vector<DeviceRecord> out;
  while (s.step()) out.push_back(readDevice(s));
  return out;
}

void SqliteStore::touchDevice(const std::string& id, int64_t at, const std::string& userId, const std::string& address) {
  Lock lock(mutex_);
  db_->prepare("UPDATE devices SET last_seen_at = ?2, last_user_id = ?3, last_address = ?4 WHERE id = ?1")
      .bind(1, id).bind(2, at).bind(3, userId).bind(4, address).run();
}

void SqliteStore::putChallenge(const std::string& challengeHash, const std::string& deviceId, int64_t expiresAt) {
  Lock lock(mutex_);
  db_->prepare("DELETE FROM device_challenges WHERE expires_at <= ?1").bind(1, expiresAt - 3600).run();
  db_->prepare("INSERT INTO device_challenges (challenge_hash, device_id, expires_at) VALUES (?1, ?2, ?3)")
      .bind(1, challengeHash).bind(2, deviceId).bind(3, expiresAt).run();
}

std::optional<std::string> SqliteStore::takeChallenge(const std::string& challengeHash, int64_t now) {
  Lock lock(mutex_);
  auto s = db_->prepare("SELECT device_id, expires_at FROM device_challenges WHERE challenge_hash = ?1");
  s.bind(1, challengeHash);
  if (!s.step()) return std::nullopt;
  const std::string deviceId = s.text(0);
  const int64_t expiresAt = s.integer(1);
  db_->prepare("DELETE FROM device_challenges WHERE challenge_hash = ?1").bind(1, challengeHash).run();
  if (now >= expiresAt) return std::nullopt;
  return deviceId;
}

int SqliteStore::endDeviceSessions(const std::string& deviceId, int64_t at, const std::string& reason) {
  Lock lock(mutex_);
  db_->prepare("UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE device_id = ?1 AND ended_at IS NULL")
      .bind(1, deviceId).bind(2, at).bind(3, reason).run();
  return db_->changes();
}

std::vector<std::string> SqliteStore::deviceUploads(const std::string& deviceId) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT id FROM uploads WHERE device_id = ?1");
  s.bind(1, deviceId);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

int SqliteStore::deviceMediaSince(const std::string& deviceId, int64_t since) {
  auto reader = reading();
  auto s = reader.db.prepare("SELECT count(*) FROM media WHERE device_id = ?1 AND created_at >= ?2");
  s.bind(1, deviceId).bind(2, since);
  s.step();
  return static_cast<int>(s.integer(0));
}

}  // namespace nestbox::storage
