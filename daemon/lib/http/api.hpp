#pragma once
// The JSON API under /api/v1. One dispatcher applies the cross-cutting rules to every route,
// in this order: find the route (404/405), establish the session for non-public routes (401),
// refuse cross-site and CSRF-less state changes (403), hold users whose password must change
// to the few routes that let them change it (403), then run the handler and map domain
// errors to status codes. handle() never throws.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_input.hpp"
#include "domain/accounts.hpp"
#include "domain/audit.hpp"
#include "domain/backup_service.hpp"
#include "domain/box_clock.hpp"
#include "domain/capture_station.hpp"
#include "domain/children.hpp"
#include "domain/devices.hpp"
#include "domain/engagement.hpp"
#include "domain/erasure.hpp"
#include "domain/templates.hpp"
#include "domain/exports.hpp"
#include "domain/journal.hpp"
#include "domain/invitations.hpp"
#include "domain/lockdown.hpp"
#include "domain/manager_home.hpp"
#include "domain/media.hpp"
#include "domain/outside_access.hpp"
#include "domain/presence.hpp"
#include "domain/sessions.hpp"
#include "domain/settings.hpp"
#include "domain/setup.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace nestbox::http {

struct Services {
  domain::SettingsService& settings;
  domain::AccountService& accounts;
  domain::SessionService& sessions;
  domain::SetupService& setup;
  domain::AuditLog& audit;
  domain::ChildrenService& children;
  domain::JournalService& journal;
  domain::MediaService& media;
  domain::DeviceService& devices;
  domain::LockdownService& lockdown;
  domain::NetworkPresence& presence;
  domain::InvitationService& invitations;
  domain::ManagerHome& home;
  domain::BoxClock& clock;
  domain::CaptureStation& camera;
  domain::BackupService& backups;
  domain::ExportService& exports;
  domain::ErasureService& erasure;
  domain::EngagementService& engagement;
  domain::TemplateService& templates;
  std::string setupCodeFile;
  std::string caCertificatePem;  // public: devices download it to trust the box
  std::string caFingerprint;     // SHA-256, "AB:CD:..."
  std::string tlsDir = {};       // the box CA's directory, to issue device certificates
};

// A request body that arrives in pieces (tus PATCH through the streaming adapter). Errors
// while writing are kept and become the response; exactly one of finish() or abandon() ends it.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void write(std::string_view piece) = 0;
  virtual Response finish() = 0;
  virtual void abandon() = 0;  // the connection was cut
};

// A request's JSON object body; an empty body is an empty object. Throws InputError.
Json readBody(const Request& request);

// A tablet's proof in a JSON body: "device_id", "challenge" and "signature", all or none.
std::optional<domain::DeviceProof> readDeviceProof(JsonReader& in);

class Api {
 public:
  static constexpr const char* kSessionCookie = "__Host-nestbox";
  static constexpr const char* kCsrfHeader = "x-csrf-token";

  explicit Api(Services services);
  Response handle(const Request& request);
  // For a request whose body has not arrived: the same checks as handle() (route, session,
  // CSRF, role), then either a response already (an error, or a route that does not stream)
  // or a sink for the body. `request.body` is ignored.
  struct Opened {
    std::optional<Response> response;
    std::unique_ptr<BodySink> sink;
  };
  Opened open(const Request& request);

  // Who may call a route, declared where the route is registered: the daemon refuses to start
  // when a route leaves it unset. Checked by the dispatcher before a body is read, so a
  // caller without the role gets 403 whatever they sent; the domain (AccessPolicy) decides
  // again, per record.
  enum class Audience {
    unset,     // not declared: refused at start
    open,      // no session needed (sign-in, setup, the CA, the lockdown notice)
    signedIn,  // any signed-in person; the domain narrows per record
    staff,     // staff and managers
    manager,
    parent,
  };
  static const char* audienceName(Audience audience);
  struct RouteRules {
    Audience audience = Audience::unset;
    bool childView = false;       // reachable from a tablet in child view (policy 000)
    bool lockdownOpen = false;    // answers during a lockdown (policy 001)
    bool passwordChange = false;  // reachable while the password must change first
    bool proofDue = false;        // reachable while the tablet's device proof is due
    bool rememberDue = false;     // reachable while a remembered phone must renew its token first
    // A remembered phone's renewal, right after a page load: the page has no CSRF token yet (it
    // comes with the session it is renewing). The renewal carries the phone key's signature over
    // the box's challenge instead, which no other site can make; SameSite=Strict and the
    // Origin check still apply.
    bool signedByPhone = false;
    // Asks a remembered phone for the password again first (issue 32): what matters to a
    // family (their data leaving, opting out, erasure).
    bool freshPassword = false;
    // How far beyond the setting's network it reaches (domain/outside_access.hpp): closed,
    // families, or managersRead.
    domain::OutsideReach outside = domain::OutsideReach::closed;
  };
  struct RouteInfo {
    std::string method;
    std::string pattern;
    RouteRules rules;
    bool requiresSession() const { return rules.audience != Audience::open; }
  };
  // Every route, for tests that check a rule across the whole API, and `nestboxd --routes`.
  // Needs no services: the table is declared statically.
  static std::vector<RouteInfo> describeRoutes();
  const std::vector<RouteInfo>& routes() const { return routeInfo_; }
  // Throws std::logic_error when a route's rules are incomplete (no audience) or
  // contradictory (an open route marked for child view or password change).
  static void checkRules(const std::string& key, const RouteRules& rules);

 private:
  struct Call {
    const Request& request;
    const PathParams& params;
    domain::RequestOrigin origin;
    std::optional<domain::Principal> principal;
    const domain::Principal& who() const { return *principal; }
  };
  using Method = Response (Api::*)(Call&);
  using StreamMethod = std::unique_ptr<BodySink> (Api::*)(Call&);
  struct RouteDef {
    const char* method;
    const char* pattern;
    RouteRules rules;
    Method handler = nullptr;
    StreamMethod stream = nullptr;  // set for routes whose body streams (not JSON)
  };
  struct Route {
    RouteRules rules;
    Method handler = nullptr;
    StreamMethod stream = nullptr;
  };
  // The route tables, one per part of the API (api.cpp, api_journal.cpp, api_media.cpp,
  // api_devices.cpp, api_lockdown.cpp, api_families.cpp, api_camera.cpp).
  static std::vector<RouteDef> routeDefinitions();
  static std::vector<RouteDef> coreRoutes();
  static std::vector<RouteDef> journalRoutes();
  static std::vector<RouteDef> mediaRoutes();
  static std::vector<RouteDef> deviceRoutes();
  static std::vector<RouteDef> lockdownRoutes();
  static std::vector<RouteDef> familyRoutes();
  static std::vector<RouteDef> cameraRoutes();
  static std::vector<RouteDef> backupRoutes();
  static std::vector<RouteDef> exportRoutes();
  static std::vector<RouteDef> erasureRoutes();
  static std::vector<RouteDef> engagementRoutes();

  // maxAgeSeconds > 0: a remembered phone's cookie, kept that long; else a browser-session cookie.
  static std::string sessionCookie(const std::string& token, int64_t maxAgeSeconds = 0);
  static std::string clearedSessionCookie();
  static Response lockedDown();

  Response dispatch(const Request& request);
  // The checks before a handler runs; a response when the request stops there.
  std::optional<Response> admit(const Request& request, const Router<Route>::Match& match, Call& call);
  // The refusal for a request from outside that the route or the asker may not make (none
  // when allowed).
  std::optional<Response> outsideStop(const Call& call, domain::OutsideReach reach);
 public:
  // Runs `work`, mapping what it throws to the API's error responses (never throws).
  Response guarded(const Request& request, const std::function<Response()>& work);

 private:
  domain::RequestOrigin originOf(const Request& request) const;

  Response getCaCertificate(Call& call);
  Response getCaFingerprint(Call& call);
  Response getBox(Call& call);
  Response getSetup(Call& call);
  Response postSetup(Call& call);
  Response signIn(Call& call);
  Response rememberChallenge(Call& call);
  Response renewRemembered(Call& call);
  Response confirmPassword(Call& call);
  Response redeemCode(Call& call);
  Response currentSession(Call& call);
  Response signOut(Call& call);
  Response listMySessions(Call& call);
  Response endMySession(Call& call);
  Response changeMyPassword(Call& call);
  Response setMyPin(Call& call);
  Response listUsers(Call& call);
  Response createUser(Call& call);
  Response getUser(Call& call);
  Response updateUser(Call& call);
  Response deactivateUser(Call& call);
  Response reactivateUser(Call& call);
  Response issueResetCode(Call& call);
  Response setUserPin(Call& call);
  Response getSettings(Call& call);
  Response updateSettings(Call& call);
  Response listAudit(Call& call);
  Response listAuditEvents(Call& call);
  domain::AuditNames auditNames(const domain::Principal& who, const std::vector<storage::AuditRecord>& records);

  // The journal (api_journal.cpp).
  Response listRooms(Call& call);
  Response createRoom(Call& call);
  Response updateRoom(Call& call);
  Response listReleases(Call& call);
  Response scheduleRelease(Call& call);
  Response unscheduleRelease(Call& call);
  Response releaseNow(Call& call);
  Response listChildren(Call& call);
  Response createChild(Call& call);
  Response getChild(Call& call);
  Response updateChild(Call& call);
  Response listCarers(Call& call);
  Response linkCarer(Call& call);
  Response unlinkCarer(Call& call);
  Response getConsent(Call& call);
  Response recordConsent(Call& call);
  Response consentHistory(Call& call);
  Response getAgreement(Call& call);
  Response changeAgreement(Call& call);
  Response acceptAgreement(Call& call);
  Response getCurriculum(Call& call);
  Response listEntries(Call& call);
  Response createEntry(Call& call);
  Response getEntry(Call& call);
  Response amendEntry(Call& call);
  Response entryVersions(Call& call);
  Response reviewEntry(Call& call);
  Response familyFeed(Call& call);
  Response listThread(Call& call);
  Response addComment(Call& call);
  Response hideComment(Call& call);
  Response listContributions(Call& call);
  Response contribute(Call& call);
  Response approveContribution(Call& call);
  Response returnContribution(Call& call);

  // Registered devices (api_devices.cpp).
  Response listDevices(Call& call);
  Response createDevice(Call& call);
  Response updateDevice(Call& call);
  Response reEnrolDevice(Call& call);
  Response reportDevice(Call& call);
  Response acknowledgeDevice(Call& call);
  Response enrolDevice(Call& call);
  Response deviceChallenge(Call& call);
  Response devicePeople(Call& call);
  Response issueDeviceCertificate(Call& call);

  Response lockdownNotice(Call& call);
  Response engageLockdown(Call& call);
  Response postLockdownUpdate(Call& call);
  Response liftLockdown(Call& call);
  Response listIncidents(Call& call);
  Response pinSignIn(Call& call);
  Response renewDeviceProof(Call& call);
  Response signOutEverywhere(Call& call);
  Response enterChildView(Call& call);
  Response childViewJournal(Call& call);
  Response leaveChildView(Call& call);

  // Media (api_media.cpp): tus uploads, serving, redaction.
  Response uploadOptions(Call& call);
  Response createUpload(Call& call);
  Response uploadStatus(Call& call);
  std::unique_ptr<BodySink> appendUpload(Call& call);
  Response terminateUpload(Call& call);
  Response getMedia(Call& call);
  Response serveMedia(Call& call);
  Response mediaAudience(Call& call);
  Response storageSpace(Call& call);

  // Families and the managers' home (api_families.cpp).
  Response inviteFamily(Call& call);
  Response listInvitations(Call& call);
  Response cancelInvitation(Call& call);
  Response waitingInvitations(Call& call);
  Response confirmInvitation(Call& call);
  Response redeemInvitation(Call& call);
  Response claimInvitation(Call& call);
  Response managerSummary(Call& call);
  Response redactMedia(Call& call);
  Response redactionsToMarkAgain(Call& call);

  // The box camera (api_camera.cpp).
  Response backupStatus(Call& call);
  Response listBackupDisks(Call& call);
  Response prepareBackupDisk(Call& call);
  Response beginBackupSetup(Call& call);
  Response confirmBackupSetup(Call& call);
  Response changeBackupTarget(Call& call);
  Response testBackupTarget(Call& call);
  Response backUpNow(Call& call);
  Response setBackupSchedule(Call& call);
  Response listBackupSnapshots(Call& call);
  Response backupRequest(Call& call);
  Response restoreDisks(Call& call);
  Response restoreSnapshots(Call& call);
  Response restoreFromBackup(Call& call);
  Response restoreRequest(Call& call);
  // Journal exports (api_exports.cpp).
  Response requestExport(Call& call);
  Response listExports(Call& call);
  Response exportReminder(Call& call);
  Response getExport(Call& call);
  Response cancelExport(Call& call);
  Response downloadExport(Call& call);
  // Leavers, erasure and retention (api_erasure.cpp).
  Response restoreChild(Call& call);
  Response eraseChild(Call& call);
  Response erasureReviews(Call& call);
  Response erasureReviewed(Call& call);
  Response erasureRequests(Call& call);
  Response getErasureRequest(Call& call);
  Response requestErasure(Call& call);
  Response withdrawErasureRequest(Call& call);
  Response optOutChild(Call& call);
  Response retention(Call& call);
  // Hearts, visits, recently tagged children and entry templates (api_engagement.cpp).
  Response discardDraft(Call& call);  // api_journal.cpp
  Response putHeart(Call& call);
  Response deleteHeart(Call& call);
  Response entryHearts(Call& call);
  Response feedVisit(Call& call);
  Response feedMonths(Call& call);
  Response recentChildren(Call& call);
  Response listTemplates(Call& call);
  Response createTemplate(Call& call);
  Response updateTemplate(Call& call);
  Response deleteTemplate(Call& call);
  Response cameraStatus(Call& call);
  Response openCamera(Call& call);
  Response touchCamera(Call& call);
  Response closeCamera(Call& call);
  Response cameraPreview(Call& call);
  Response captureStill(Call& call);

  // A new session's answer: its JSON and the cookie that carries it.
  Response signedInResponse(int status, const domain::SignInResult& result);
  Response sessionResponse(int status, const domain::Principal& principal, int64_t idleExpiresAt,
                           int64_t absoluteExpiresAt);

  Services s_;
  Router<Route> router_;
  std::vector<RouteInfo> routeInfo_;
};

}  // namespace nestbox::http
