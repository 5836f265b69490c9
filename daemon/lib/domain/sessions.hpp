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
  // A remembered phone: the cookie persists until then (Max-Age); 0: a browser-session cookie.
  int64_t rememberUntil = 0;
};

// reused: a replaced token of a remembered phone came back after its grace: every session of
// the account has been ended.
enum class SessionRejection { none, missing, unknown, ended, idleExpired, absoluteExpired, inactive, reused };

struct Authentication {
  std::optional<Principal> principal;
  SessionRejection rejection = SessionRejection::missing;
  // A device-bound session whose proof is older than kDeviceProofSeconds: only renewing the
  // proof (and signing out) is allowed until the device signs a fresh challenge.
  bool deviceProofDue = false;
  // A remembered phone (issue 32) whose token is due for renewal (idle past the role's limit,
  // or a day since the last): only its renewal (and signing out) is allowed until the phone
  // signs a fresh challenge with its key.
  bool rememberProofDue = false;
  bool remembered = false;
  int64_t passwordGivenAt = 0;  // when the password was last given in this session
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
  // `rememberKey`: a family's "Keep me signed in on this phone", with the public half (base64
  // SPKI, P-256) of the key the phone made and keeps unexportable; ignored for staff, who
  // switch with PINs on the setting's tablets.
  SignInResult signIn(const std::string& username, const std::string& password, const RequestOrigin& origin,
                      const std::optional<DeviceProof>& device = std::nullopt,
                      const std::optional<std::string>& rememberKey = std::nullopt);
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

  // Remembered phones (issue 32; README "Sessions"). A one-time challenge for the session's
  // phone to sign; then renewal checks the signature with the key given at sign-in and
  // replaces the token (rotation). A signature that does not verify ends the session, audited.
  std::string rememberChallenge(const Principal& principal);
  SignInResult renewRemembered(const Principal& principal, const std::string& challenge, const std::string& signature);
  // The password given again, for acts that ask for it (exports, opting out, erasure).
  // Wrong: unauthenticated, throttled as a sign-in is.
  void confirmPassword(const Principal& principal, const std::string& password);
  // True when the session is a remembered phone's and its password was last given more than
  // kFreshPasswordSeconds ago: acts that matter ask for it again (ASVS 5.0 7.5.1, 7.5.3).
  bool needsPasswordAgain(const Authentication& auth) const;
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
  // A remembered phone renews its token at least daily, and whenever it was idle past the
  // role's idle limit; a replaced token still works for kRotationGraceSeconds (requests that
  // were already on their way), and is a sign of a copied token after that.
  static constexpr int64_t kRememberRotateSeconds = 24 * 3600;
  static constexpr int64_t kRotationGraceSeconds = 60;
  static constexpr int64_t kFreshPasswordSeconds = 10 * 60;

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
                           const RequestOrigin& origin, const std::optional<std::string>& deviceId, Event event,
                           const std::optional<std::string>& rememberKey = std::nullopt);
  Authentication authenticateSession(const storage::SessionRecord& session, const storage::UserRecord& user,
                                     const RequestOrigin& origin, bool inGrace);
  // A replaced token came back: within the grace, the session it was replaced in; after it,
  // every session of the account ends (audited) and nothing is returned.
  Authentication oldToken(const std::string& tokenHash, const RequestOrigin& origin);
  // Counts a wrong PIN; returns the error to throw.
  DomainError wrongPin(storage::UserRecord user, const RequestOrigin& origin, const std::optional<std::string>& deviceId);

  Context& ctx_;
  SettingsService& settings_;
  DeviceService& devices_;
};

}  // namespace nestbox::domain
