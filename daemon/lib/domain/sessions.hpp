#pragma once
// Sign-in and server-side sessions (ASVS V3). The cookie carries a 256-bit random token;
// the database keeps only its SHA-256, plus a public handle the user sees in "my sessions".
// Sessions end on sign-out, after the role's idle time or absolute lifetime (setting), and
// when the account is deactivated or its password changes.
//
// Staff work only on the setting's registered devices (policies 002, 004): a staff sign-in
// must carry the device's proof (its signature over a fresh challenge) and the session is
// bound to that device; the proof is renewed every kDeviceProofSeconds, and revoking the
// device ends its sessions. Managers may also sign in at an office computer, unbound, for
// management; recording media needs a bound session (MediaService). On a registered
// device, staff switch user with their PIN; a PIN works nowhere else, and five wrong PINs
// switch it off until the person signs in with their password.

#include <optional>
#include <string>
#include <vector>

#include "domain/context.hpp"
#include "domain/devices.hpp"
#include "domain/errors.hpp"
#include "domain/settings.hpp"
#include "storage/records.hpp"

namespace nestbox::domain {

struct SignInResult {
  std::string token;  // goes into the cookie, nowhere else
  Principal principal;
  int64_t idleExpiresAt = 0;
  int64_t absoluteExpiresAt = 0;
};

enum class SessionRejection { none, missing, unknown, ended, idleExpired, absoluteExpired, inactive };

struct Authentication {
  std::optional<Principal> principal;
  SessionRejection rejection = SessionRejection::missing;
  // A device-bound session whose proof is older than kDeviceProofSeconds: only renewing the
  // proof (and signing out) is allowed until the device signs a fresh challenge.
  bool deviceProofDue = false;
};

// Someone who may switch in with a PIN on a registered device.
struct PinUser {
  std::string id;
  std::string displayName;
  bool pinLocked = false;  // five wrong PINs: the password is needed first
};

struct SessionView {
  storage::SessionRecord record;
  bool current = false;
  int64_t idleExpiresAt = 0;
  int64_t absoluteExpiresAt = 0;
};

class SessionService {
 public:
  SessionService(Context& ctx, SettingsService& settings, DeviceService& devices)
      : ctx_(ctx), settings_(settings), devices_(devices) {}

  // Throws DomainError: unauthenticated (wrong details), throttled (locked), forbidden
  // (deactivated; a device proof that does not verify; staff without a device proof).
  SignInResult signIn(const std::string& username, const std::string& password, const RequestOrigin& origin,
                      const std::optional<DeviceProof>& device = std::nullopt);
  // The shared-tablet switch: only with a valid proof of an active registered device.
  // `device`: the tablet's signed challenge; without it, a verified client certificate of
  // the device (the MDM tier) serves instead.
  SignInResult pinSignIn(const std::string& userId, const std::string& pin, const std::optional<DeviceProof>& device,
                         const RequestOrigin& origin);
  // Who may switch in on this device (staff and managers with a PIN), for the name picker.
  std::vector<PinUser> pinUsers(const DeviceProof& device);
  // A fresh proof from the session's own device; throws forbidden otherwise.
  void renewDeviceProof(const Principal& principal, const DeviceProof& device);

  Authentication authenticate(const std::string& token, const RequestOrigin& origin);
  void signOut(const Principal& principal);
  // Ends every session of the user, this one included (a lost phone, a shared password).
  int signOutEverywhere(const Principal& principal);

  // Child view (policy 000): the session shows one child's journal and nothing else until a
  // staff member's PIN ends it. Entering needs a device-bound staff session.
  void enterChildView(const Principal& principal, const std::string& childId);
  void leaveChildView(const Principal& principal, const std::string& pin);

  std::vector<SessionView> listOwn(const Principal& principal);
  void endOwn(const Principal& principal, const std::string& sessionId);

  // Seconds of idleness after which the bumped last-seen time is written back; finer
  // granularity would cost a database write on every request.
  static constexpr int64_t kTouchGranularity = 15;
  static constexpr int64_t kDeviceProofSeconds = 30 * 60;
  static constexpr int kPinAttempts = 5;

 private:
  int64_t idleLimit(Role role) { return int64_t{60} * settings_.idleMinutesFor(role); }
  int64_t absoluteLimit(Role role) { return int64_t{3600} * settings_.absoluteHoursFor(role); }
  // Verifies a proof (using its challenge up); throws forbidden, audited, when it fails.
  void requireDevice(const DeviceProof& proof, const RequestOrigin& origin);
  // The device a request comes from: a proof (checked, used up), else a client certificate.
  std::optional<std::string> provenDevice(const std::optional<DeviceProof>& proof, const RequestOrigin& origin);
  // From outside the setting's network (issue 31), only those the outside rule lets in get a
  // session; a refusal is audited (domain/outside_access.hpp).
  void requireMaySignInFrom(const RequestOrigin& origin, const storage::UserRecord& user,
                            const std::optional<std::string>& deviceId);
  SignInResult openSession(const storage::UserRecord& user, const storage::UserRecord& updated,
                           const RequestOrigin& origin, const std::optional<std::string>& deviceId, Event event);
  // Counts a wrong PIN; returns the error to throw.
  DomainError wrongPin(storage::UserRecord user, const RequestOrigin& origin, const std::optional<std::string>& deviceId);

  Context& ctx_;
  SettingsService& settings_;
  DeviceService& devices_;
};

}  // namespace nestbox::domain
