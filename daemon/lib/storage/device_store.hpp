#pragma once
// The storage contract of registered devices (policies 002, 004: staff use only the
// setting's own devices). Implemented by SqliteStore; the same transaction() covers it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nestbox::storage {

struct DeviceRecord {
  std::string id;
  std::string name;                      // "Blue room iPad 2"
  std::optional<std::string> roomId;
  std::string state;                     // pending (code issued), active, revoked
  std::optional<std::string> publicKey;  // base64 SPKI of the device's P-256 key, once enrolled
  std::optional<std::string> enrolmentCodeHash;  // SHA-256 of the one-time code while pending
  std::optional<int64_t> enrolmentExpiresAt;
  std::string createdBy;
  int64_t createdAt = 0;
  std::optional<int64_t> enrolledAt;
  std::optional<int64_t> revokedAt;
  std::optional<std::string> revokedBy;
  std::string revokedReason;             // lost, stolen, damaged, replaced, other
  std::string revokedNote;
  bool alertAcknowledged = true;         // a report managers have not yet seen is false
  std::optional<int64_t> lastSeenAt;
  std::optional<std::string> lastUserId;
  std::optional<std::string> lastAddress;
  std::optional<std::string> clientCertSha1;  // the MDM tier's client certificate, while valid
};

class DeviceStore {
 public:
  virtual ~DeviceStore() = default;
  virtual void insertDevice(const DeviceRecord& device) = 0;
  virtual void updateDevice(const DeviceRecord& device) = 0;
  virtual std::optional<DeviceRecord> device(const std::string& id) = 0;
  virtual std::optional<DeviceRecord> deviceByEnrolmentCode(const std::string& codeHash) = 0;
  virtual std::optional<DeviceRecord> deviceByClientCertificate(const std::string& sha1) = 0;
  virtual std::vector<DeviceRecord> devices() = 0;
  virtual void touchDevice(const std::string& id, int64_t at, const std::string& userId, const std::string& address) = 0;

  // One-time challenges a device signs; stored hashed, consumed when used.
  virtual void putChallenge(const std::string& challengeHash, const std::string& deviceId, int64_t expiresAt) = 0;
  // Removes and returns the device the challenge was issued to, if it existed and is unexpired.
  virtual std::optional<std::string> takeChallenge(const std::string& challengeHash, int64_t now) = 0;

  // Ends every open session of the device; returns how many.
  virtual int endDeviceSessions(const std::string& deviceId, int64_t at, const std::string& reason) = 0;
  // Unfinished uploads sent from the device (their ids), and uploads it finished since `since`.
  virtual std::vector<std::string> deviceUploads(const std::string& deviceId) = 0;
  virtual int deviceMediaSince(const std::string& deviceId, int64_t since) = 0;
};

}  // namespace nestbox::storage
