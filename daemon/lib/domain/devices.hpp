#pragma once
// Registered devices (policies 002 and 004; PRODUCT.md rules 5 and 6). A manager names a
// tablet and its room and gets a one-time enrolment code (80 bits, 10 minutes); the tablet's
// browser makes a non-extractable ECDSA P-256 key and sends its public half with the code.
// From then on the device proves itself by signing a fresh challenge from the box, which is
// used once. Anyone on the staff can report a device lost, stolen or damaged: it is revoked
// at once — its key stops verifying, its sessions end, its unfinished uploads are discarded —
// and managers see an alert until they acknowledge it. A found device is enrolled again with
// a new key.

#include <optional>
#include <string>
#include <vector>

#include "domain/context.hpp"
#include "domain/media.hpp"
#include "security/certificate_authority.hpp"
#include "storage/device_store.hpp"
#include "storage/journal_store.hpp"

namespace nestbox::domain {

struct Enrolment {
  storage::DeviceRecord device;
  std::string code;     // shown once: grouped for typing, e.g. "ABCD-EFGH-JKMN-PQRS"
  int64_t expiresAt = 0;
};

struct CertifiedDevice {
  storage::DeviceRecord device;
  security::ClientCertificate certificate;
  std::string password;  // shown once, to type into the MDM system
};

struct DeviceReport {
  std::string what;  // lost, stolen, damaged
  std::string note;
};

class DeviceService {
 public:
  DeviceService(Context& ctx, storage::DeviceStore& devices, storage::JournalStore& journal, MediaService& media)
      : ctx_(ctx), devices_(devices), journal_(journal), media_(media) {}

  // Managers.
  Enrolment create(const Principal& p, const std::string& name, const std::optional<std::string>& roomId);
  // A new code and, once used, a new key: the old key stops verifying at once.
  Enrolment reEnrol(const Principal& p, const std::string& deviceId);
  storage::DeviceRecord rename(const Principal& p, const std::string& deviceId, const std::optional<std::string>& name,
                               const std::optional<std::string>& roomId);
  void acknowledge(const Principal& p, const std::string& deviceId);

  // The tablet: no session yet. Wrong codes are throttled per address and audited.
  storage::DeviceRecord enrol(const std::string& code, const std::string& publicKey, const RequestOrigin& origin);

  // A fresh challenge for an active device to sign (base64 of 32 random bytes, 60 seconds).
  std::string challenge(const std::string& deviceId);
  // True when `signature` is the device's key over a challenge issued to it, unexpired and
  // not used before (it is used up now). A revoked or unknown device never verifies.
  bool verify(const std::string& deviceId, const std::string& challenge, const std::string& signature);
  // The MDM tier (managers): a client certificate from the box CA under `tlsDir`, as a
  // PKCS#12 bundle protected by a fresh password (80 bits), bound to the device by its SHA-1
  // and replacing any earlier one. A pending device becomes active, enrolled by certificate.
  CertifiedDevice issueCertificate(const Principal& p, const std::string& deviceId, const std::string& tlsDir);
  // The active device a verified client certificate belongs to, if any.
  std::optional<std::string> deviceForCertificate(const std::string& sha1);
  // Last seen, last user, last address: what the devices screen and a loss report show.
  void touch(const std::string& deviceId, const std::string& userId, const std::string& address);

  // Staff and managers.
  std::vector<storage::DeviceRecord> list(const Principal& p);
  // Tablets not seen for this many days are on the managers' to-do (issue 16).
  static constexpr int kNotSeenDays = 7;
  // Managers (the to-do's list, issue 32): active tablets not seen for kNotSeenDays days, as
  // the home counts them.
  std::vector<storage::DeviceRecord> notSeen(const Principal& p);
  storage::DeviceRecord report(const Principal& p, const std::string& deviceId, const DeviceReport& report);

 private:
  void requireUniqueName(const std::string& name, const std::string& exceptId);
  storage::DeviceRecord require(const std::string& deviceId);
  Enrolment issueCode(storage::DeviceRecord device);
  void requireStaff(const Principal& p);
  void requireManager(const Principal& p);

  Context& ctx_;
  storage::DeviceStore& devices_;
  storage::JournalStore& journal_;
  MediaService& media_;
};

}  // namespace nestbox::domain
