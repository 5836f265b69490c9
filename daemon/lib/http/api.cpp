#include "http/api.hpp"

#include <set>
#include <stdexcept>

#include "core/log.hpp"
#include "domain/errors.hpp"
#include "http/json_out.hpp"
#include "http/query_params.hpp"
#include "security/tokens.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using domain::DomainError;
using domain::ErrorKind;
using domain::Role;
using system::formatTimestamp;

int statusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid: return 400;
    case ErrorKind::unauthenticated: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::notFound: return 404;
    case ErrorKind::conflict: return 409;
    case ErrorKind::gone: return 410;
    case ErrorKind::throttled: return 429;
    case ErrorKind::passwordChangeRequired: return 403;
    case ErrorKind::tooLarge: return 413;
    case ErrorKind::unsupportedType: return 415;
    case ErrorKind::unprocessable: return 422;
    case ErrorKind::checksumMismatch: return 460;
    case ErrorKind::preconditionFailed: return 412;
    case ErrorKind::insufficientStorage: return 507;
  }
  return 400;
}

Json userJson(const storage::UserRecord& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.displayName},
          {"email", optionalJson(u.email)},
          {"role", u.role},
          {"active", u.active},
          {"has_pin", u.pinHash.has_value()},
          {"must_change_password", u.mustChangePassword},
          {"password_changed_at", formatTimestamp(u.passwordChangedAt)},
          {"created_at", formatTimestamp(u.createdAt)},
          {"updated_at", formatTimestamp(u.updatedAt)}};
}

Json codeJson(const domain::OneTimeCode& code) {
  return {{"code", code.code}, {"expires_at", formatTimestamp(code.expiresAt)}};
}

Json settingJson(const storage::SettingRecord& s, bool full) {
  // Everyone signed in shows days and times in the setting's zone (issue 22), not their own.
  Json out = {{"name", s.name}, {"framework", s.framework}, {"time_zone", s.timeZone}};
  if (full) {
    out["password_require_mixed"] = s.passwordRequireMixed;
    out["password_max_age_days"] = s.passwordMaxAgeDays;
    out["keep_unredacted_originals"] = s.keepUnredactedOriginals;
    out["outside_manager_read"] = s.outsideManagerRead;
    out["secure_subnets"] = s.secureSubnets;
    out["storage_reserve_mib"] = s.storageReserveMiB;
    out["invitation_days"] = s.invitationDays;
    out["redaction_margin_pct"] = s.redactionMarginPct;
    out["remember_days"] = s.rememberDays;
    out["export_reminder_on"] = s.exportReminderOn;
    out["leaver_read_days"] = s.leaverReadDays;
    out["leaver_archive_days"] = s.leaverArchiveDays;
    out["idle_minutes"] = {{"manager", s.idleMinutesManager}, {"staff", s.idleMinutesStaff}, {"parent", s.idleMinutesParent}};
    out["absolute_hours"] = {
        {"manager", s.absoluteHoursManager}, {"staff", s.absoluteHoursStaff}, {"parent", s.absoluteHoursParent}};
    out["updated_at"] = formatTimestamp(s.updatedAt);
  }
  return out;
}


std::optional<Role> parseRole(const std::optional<std::string>& value, const std::string& field) {
  if (!value) return std::nullopt;
  auto role = domain::roleFromName(*value);
  if (!role) throw InputError(field, "'" + field + "' must be manager, staff or parent.");
  return role;
}

bool isStateChanging(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

}  // namespace

std::vector<Api::RouteDef> Api::coreRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      {"GET", "/api/v1/ca.crt", {.audience = open, .lockdownOpen = true}, &Api::getCaCertificate},
      {"GET", "/api/v1/ca.sha256", {.audience = open, .lockdownOpen = true}, &Api::getCaFingerprint},
      {"GET", "/api/v1/box", {.audience = open, .lockdownOpen = true, .outside = families}, &Api::getBox},
      {"GET", "/api/v1/setup", {.audience = open}, &Api::getSetup},
      {"POST", "/api/v1/setup", {.audience = open}, &Api::postSetup},
      {"POST", "/api/v1/auth/sign-in", {.audience = open, .outside = families}, &Api::signIn},
      {"POST", "/api/v1/auth/redeem-code", {.audience = open, .outside = families}, &Api::redeemCode},
      {"GET", "/api/v1/auth/session",
       {.audience = signedIn, .childView = true, .passwordChange = true, .proofDue = true, .outside = managersRead}, &Api::currentSession},
      {"POST", "/api/v1/auth/sign-out",
       {.audience = signedIn, .childView = true, .passwordChange = true, .proofDue = true, .rememberDue = true, .outside = managersRead}, &Api::signOut},
      {"GET", "/api/v1/me/sessions", {.audience = signedIn, .outside = managersRead}, &Api::listMySessions},
      {"DELETE", "/api/v1/me/sessions/:id", {.audience = signedIn, .outside = managersRead}, &Api::endMySession},
      {"POST", "/api/v1/me/password", {.audience = signedIn, .passwordChange = true, .outside = families}, &Api::changeMyPassword},
      {"POST", "/api/v1/me/pin", {.audience = signedIn}, &Api::setMyPin},
      {"POST", "/api/v1/auth/remember/challenge", {.audience = parent, .rememberDue = true, .signedByPhone = true, .outside = families}, &Api::rememberChallenge},
      {"POST", "/api/v1/auth/remember/renew", {.audience = parent, .rememberDue = true, .signedByPhone = true, .outside = families}, &Api::renewRemembered},
      {"POST", "/api/v1/auth/confirm-password", {.audience = signedIn, .outside = families}, &Api::confirmPassword},
      {"GET", "/api/v1/users", {.audience = manager}, &Api::listUsers},
      {"POST", "/api/v1/users", {.audience = manager}, &Api::createUser},
      {"GET", "/api/v1/users/:id", {.audience = signedIn, .outside = managersRead}, &Api::getUser},
      {"PATCH", "/api/v1/users/:id", {.audience = manager}, &Api::updateUser},
      {"POST", "/api/v1/users/:id/deactivate", {.audience = manager}, &Api::deactivateUser},
      {"POST", "/api/v1/users/:id/reactivate", {.audience = manager}, &Api::reactivateUser},
      {"POST", "/api/v1/users/:id/reset-code", {.audience = manager}, &Api::issueResetCode},
      {"PUT", "/api/v1/users/:id/pin", {.audience = manager}, &Api::setUserPin},
      {"GET", "/api/v1/settings", {.audience = signedIn, .outside = managersRead}, &Api::getSettings},
      {"PATCH", "/api/v1/settings", {.audience = manager}, &Api::updateSettings},
      {"GET", "/api/v1/audit", {.audience = manager}, &Api::listAudit},
      {"GET", "/api/v1/audit/events", {.audience = manager}, &Api::listAuditEvents},
  };
}

std::vector<Api::RouteDef> Api::routeDefinitions() {
  std::vector<RouteDef> all;
  for (auto part : {coreRoutes(), journalRoutes(), mediaRoutes(), deviceRoutes(), lockdownRoutes(), familyRoutes(), cameraRoutes(), backupRoutes(), exportRoutes(),
                    erasureRoutes(), engagementRoutes()}) {
    all.insert(all.end(), part.begin(), part.end());
  }
  return all;
}

const char* Api::audienceName(Audience audience) {
  switch (audience) {
    case Audience::unset: return "unset";
    case Audience::open: return "open";
    case Audience::signedIn: return "signed_in";
    case Audience::staff: return "staff";
    case Audience::manager: return "manager";
    case Audience::parent: return "parent";
  }
  return "unset";
}

void Api::checkRules(const std::string& key, const RouteRules& rules) {
  if (rules.audience == Audience::unset) {
    throw std::logic_error("route " + key + " declares no audience (open, signed_in, staff, manager or parent)");
  }
  if (rules.audience == Audience::open && (rules.childView || rules.passwordChange || rules.proofDue || rules.rememberDue || rules.freshPassword)) {
    throw std::logic_error("route " + key + " is open, so session flags (child view, password change, proof due) mean nothing");
  }
  if (rules.signedByPhone && !rules.rememberDue) {
    throw std::logic_error("route " + key + " skips the CSRF token for a phone's signature, so it must be a remembered phone's renewal");
  }
}

std::vector<Api::RouteInfo> Api::describeRoutes() {
  std::vector<RouteInfo> out;
  for (const auto& def : routeDefinitions()) out.push_back({def.method, def.pattern, def.rules});
  return out;
}

Api::Api(Services services) : s_(std::move(services)) {
  for (const auto& def : routeDefinitions()) {
    const std::string key = std::string(def.method) + " " + def.pattern;
    checkRules(key, def.rules);
    if (!def.handler == !def.stream) throw std::logic_error("route " + key + " needs exactly one handler");
    router_.add(def.method, def.pattern, Route{def.rules, def.handler, def.stream});
    routeInfo_.push_back({def.method, def.pattern, def.rules});
  }
}

domain::RequestOrigin Api::originOf(const Request& request) const {
  domain::RequestOrigin origin;
  // nginx overwrites X-Real-IP with the address it accepted the connection from; the daemon
  // listens on loopback only, so a client cannot reach it without passing through nginx.
  const bool fromLoopback = request.peerAddress == "127.0.0.1" || request.peerAddress == "::1";
  const auto realIp = request.header("x-real-ip");
  origin.address = fromLoopback && realIp ? *realIp : request.peerAddress;
  origin.userAgent = request.header("user-agent").value_or("").substr(0, 200);
  // nginx sets both from the TLS handshake on every proxied request, whatever the client sent.
  const auto verified = request.header("x-client-verify");
  const auto fingerprint = request.header("x-client-fingerprint");
  if (fromLoopback && verified == "SUCCESS" && fingerprint && fingerprint->size() == 40) origin.clientCertSha1 = *fingerprint;
  // nginx sets X-Nestbox-Via on every proxied request by the listener it arrived on: "outside"
  // on the relay's tunnel and the public name, "lan" on the setting's own network.
  origin.outside = fromLoopback && request.header("x-nestbox-via") == "outside";
  return origin;
}

Response Api::guarded(const Request& request, const std::function<Response()>& work) {
  try {
    return work();
  } catch (const InputError& e) {
    logEvent(Event::HttpBadRequest, {{"path", request.path}, {"field", e.field}});
    return Response::error(400, "invalid_request", e.what(), e.field);
  } catch (const DomainError& e) {
    auto response = Response::error(statusFor(e.kind), e.code, e.what(), e.field, e.details);
    if (e.kind == ErrorKind::throttled) response.withHeader("Retry-After", std::to_string(e.retryAfterSeconds));
    return response;
  } catch (const std::exception& e) {
    logEvent(Event::HttpInternalError, {{"path", request.path}, {"what", e.what()}});
    return Response::error(500, "internal_error",
                           "Something went wrong on the box. Try again; if it keeps happening, tell IT support.");
  }
}

Response Api::handle(const Request& request) {
  Response response = guarded(request, [&] { return dispatch(request); });
  response.withHeader("Cache-Control", "no-store");
  return response;
}

Api::Opened Api::open(const Request& request) {
  Opened out;
  Response early = guarded(request, [&]() -> Response {
    const auto match = router_.match(request.method, request.path);
    Call call{request, match.params, originOf(request), std::nullopt};
    if (auto stop = admit(request, match, call)) return *stop;
    if (match.handler->stream) out.sink = (this->*match.handler->stream)(call);
    return Response{0, {}, {}};  // admitted: the body decides
  });
  if (early.status != 0) {
    early.withHeader("Cache-Control", "no-store");
    out.response = std::move(early);
  }
  return out;
}

Response Api::dispatch(const Request& request) {
  const auto match = router_.match(request.method, request.path);
  Call call{request, match.params, originOf(request), std::nullopt};
  if (auto stop = admit(request, match, call)) return *stop;
  const Route& route = *match.handler;
  if (route.stream) {
    // A streaming route called with the whole body at once (not through the streaming adapter).
    auto sink = (this->*route.stream)(call);
    sink->write(request.body);
    return sink->finish();
  }
  return (this->*route.handler)(call);
}

std::optional<Response> Api::admit(const Request& request, const Router<Route>::Match& match, Call& call) {
  if (!match.handler) {
    if (match.pathKnown) {
      std::string allow;
      for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      return Response::error(405, "method_not_allowed", "This address does not accept " + request.method + ".")
          .withHeader("Allow", allow);
    }
    return Response::error(404, "not_found", "There is nothing at this address.");
  }
  const Route& route = *match.handler;
  // From outside the setting's network (issue 31): what the route reaches, asked again below
  // once the session says who is asking. A lockdown closes the outside entirely.
  if (call.origin.outside) {
    if (auto stop = outsideStop(call, route.rules.outside)) return stop;
  }
  // Locked down: nothing but the notice and the manager's own way out (policy 001).
  if (!route.rules.lockdownOpen && s_.lockdown.engaged()) return lockedDown();

  if (isStateChanging(request.method)) {
    // Cross-site requests never change anything, signed in or not (login CSRF included).
    const auto fetchSite = request.header("sec-fetch-site");
    const auto origin = request.header("origin");
    const auto host = request.header("host");
    if ((fetchSite && *fetchSite != "same-origin" && *fetchSite != "none") ||
        (origin && (!host || *origin != "https://" + *host))) {
      s_.audit.record(Event::CsrfRejected, domain::AuditActor::anonymous(call.origin), std::nullopt,
                      {{"path", request.path}, {"reason", "cross_site"}});
      return Response::error(403, "cross_site_request", "Requests from other sites are not accepted.");
    }
    if (!request.body.empty() && !route.stream) {
      const auto type = request.header("content-type").value_or("");
      if (type.rfind("application/json", 0) != 0) {
        return Response::error(415, "unsupported_media_type", "Send the request body as JSON (application/json).");
      }
    }
  }

  if (route.rules.audience != Audience::open) {
    const auto auth = s_.sessions.authenticate(request.cookie(kSessionCookie).value_or(""), call.origin);
    if (!auth.principal) {
      const bool expired = auth.rejection == domain::SessionRejection::idleExpired ||
                           auth.rejection == domain::SessionRejection::absoluteExpired;
      const bool reused = auth.rejection == domain::SessionRejection::reused;
      auto response = reused ? Response::error(401, "session_reused",
                                               "You have been signed out everywhere: an old copy of your sign-in was used "
                                               "on another device. Sign in again, and change your password if this "
                                               "surprises you.")
                             : Response::error(401, expired ? "session_expired" : "session_required",
                                               expired ? "Your session has ended. Sign in again to carry on."
                                                       : "Sign in to continue.");
      if (request.cookie(kSessionCookie)) response.withHeader("Set-Cookie", clearedSessionCookie());
      return response;
    }
    call.principal = auth.principal;
    // From outside, who is asking decides next, before anything else about the session.
    if (call.origin.outside) {
      if (auto stop = outsideStop(call, route.rules.outside)) return stop;
    }
    if (call.principal->childViewOf && !route.rules.childView) {
      s_.audit.record(Event::ChildViewRefused, domain::AuditActor::of(*call.principal), domain::AuditTarget{"route", request.path});
      return Response::error(403, "child_view",
                             "This tablet is in child view. A member of staff can leave it with their PIN.");
    }
    if (auth.deviceProofDue && !route.rules.proofDue) {
      return Response::error(401, "device_proof_required", "The tablet needs to prove it is registered again. Reload the page.");
    }
    if (auth.rememberProofDue && !route.rules.rememberDue) {
      return Response::error(401, "remember_proof_required",
                             "This phone needs to show it is the one you signed in on. Reload the page.");
    }
    if (isStateChanging(request.method) && !route.rules.signedByPhone) {
      const auto presented = request.header(kCsrfHeader).value_or("");
      if (!security::constantTimeEquals(presented, call.principal->csrfToken)) {
        s_.audit.record(Event::CsrfRejected, domain::AuditActor::of(*call.principal), std::nullopt,
                        {{"path", request.path}, {"reason", presented.empty() ? "missing_token" : "wrong_token"}});
        return Response::error(403, "csrf_failed",
                               "This request lacked the page's security token. Reload the page and try again.");
      }
    }
    if (call.principal->mustChangePassword && !route.rules.passwordChange) {
      return Response::error(403, "password_change_required", "Your password has expired. Choose a new one first.");
    }
    const Role role = call.principal->role;
    const Audience audience = route.rules.audience;
    const bool allowed = audience == Audience::signedIn || (audience == Audience::staff && role != Role::parent) ||
                         (audience == Audience::manager && role == Role::manager) ||
                         (audience == Audience::parent && role == Role::parent);
    if (!allowed) {
      s_.audit.record(Event::AccessDenied, domain::AuditActor::of(*call.principal), domain::AuditTarget{"route", request.path});
      if (audience == Audience::manager) return Response::error(403, "manager_only", "Only a manager can do this.");
      if (audience == Audience::staff) return Response::error(403, "staff_only", "Only staff and managers can do this.");
      return Response::error(403, "parents_only", "This is for parents and carers.");
    }
    if (route.rules.freshPassword && s_.sessions.needsPasswordAgain(auth)) {
      return Response::error(403, "password_needed",
                             "For this, enter your password again: this phone stays signed in, so the box checks it is you.");
    }
  }
  return std::nullopt;
}

std::optional<Response> Api::outsideStop(const Call& call, domain::OutsideReach reach) {
  domain::OutsideRequest ask;
  ask.reach = reach;
  if (call.principal) ask.role = call.principal->role;
  ask.managersMayRead = s_.settings.outsideManagerRead();
  ask.lockedDown = s_.lockdown.engaged();
  const auto refusal = domain::outsideRefusal(domain::outsideVerdict(ask));
  if (!refusal) return std::nullopt;
  // Someone signed in reaching for what the outside may not: worth a manager's look. Before
  // sign-in, a closed route from outside is every scanner's first request, and not audited.
  if (call.principal) {
    s_.audit.record(Event::OutsideRefused, domain::AuditActor::of(*call.principal),
                    domain::AuditTarget{"route", call.request.path}, {{"reason", refusal->code}});
  }
  return Response::error(refusal->status, refusal->code, refusal->message);
}

Response Api::sessionResponse(int status, const domain::Principal& p, int64_t idleExpiresAt,
                              int64_t absoluteExpiresAt) {
  const auto user = s_.accounts.get(p, p.userId);
  Json body = {{"user", userJson(user)},
               {"csrf_token", p.csrfToken},
               {"must_change_password", p.mustChangePassword},
               {"idle_expires_at", formatTimestamp(idleExpiresAt)},
               {"absolute_expires_at", formatTimestamp(absoluteExpiresAt)},
               {"device_id", optionalJson(p.deviceId)},
               {"child_view", optionalJson(p.childViewOf)}};
  if (const auto setting = s_.settings.current()) body["setting"] = settingJson(*setting, false);
  return Response::json(status, body);
}

Response Api::getCaCertificate(Call&) {
  Response r;
  r.body = s_.caCertificatePem;
  r.headers.emplace_back("Content-Type", "application/x-x509-ca-cert");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"nestbox-ca.crt\"");
  return r;
}

Response Api::getCaFingerprint(Call&) {
  Response r;
  r.body = "SHA256 Fingerprint=" + s_.caFingerprint + "\n";
  r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  return r;
}

// Where the box is and how to check it is the right one: shown on the setup and devices
// pages (no secrets: the same facts the box announces on the network).
Response Api::getBox(Call& call) {
  const auto v = s_.presence.view();
  // From outside: the name and state only; the box's network addresses and its CA are for
  // the setting's own network (no CA download or enrolment on the public name).
  if (call.origin.outside) return Response::json(200, {{"name", v.serviceName}, {"state", v.state}, {"outside", true}});
  return Response::json(200, {{"name", v.serviceName},
                              {"state", v.state},
                              {"host", v.hostName},
                              {"url", v.url},
                              {"addresses", v.addresses},
                              {"address_urls", v.addressUrls},
                              {"mdns", {{"state", v.mdns}, {"detail", v.mdnsDetail}}},
                              {"box_id", v.boxId},
                              {"ca_fingerprint", v.caFingerprint},
                              {"ca_certificate", "/api/v1/ca.crt"}});
}

namespace {
Json clockJson(const domain::ClockView& v) {
  return {{"now", v.now}, {"synchronised", v.synchronised}, {"floor", v.floor}};
}
}  // namespace

Response Api::getSetup(Call&) {
  if (s_.setup.complete()) {
    return Response::error(410, "setup_complete", "This box is already set up. Sign in instead.");
  }
  return Response::json(200, {{"state", "setup_required"},
                              {"frameworks", Json::array({{{"id", "eyfs"}, {"name", "EYFS (England)"}},
                                                          {{"id", "cfe"}, {"name", "Curriculum for Excellence (Scotland)"}}})},
                              {"code_hint", "The setup code is printed on the box's console and written to " +
                                                s_.setupCodeFile + "."},
                              {"clock", clockJson(s_.clock.view())}});
}

Response Api::postSetup(Call& call) {
  if (s_.setup.complete()) {
    return Response::error(410, "setup_complete", "This box is already set up. Sign in instead.");
  }
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::SetupRequest r;
  r.code = in.requiredString("code", 1, 64);
  r.settingName = in.requiredName("setting_name", 1, 120);
  r.framework = in.requiredString("framework", 1, 16);
  r.username = in.requiredName("username", 1, 64);
  r.displayName = in.requiredName("display_name", 1, 100);
  r.email = in.optionalString("email", 0, 254);
  r.password = in.requiredSecret("password", 1, 128);
  r.pin = in.optionalSecret("pin", 1, 8);
  if (const auto clock = in.optionalObject("clock")) {
    JsonReader clockIn(*clock);
    r.confirmedNow = clockIn.optionalInt("confirmed_now", 0, 253402300799);
    if (!r.confirmedNow) {
      throw InputError("clock", "'clock' needs 'confirmed_now': the time that is right now, in Unix seconds.");
    }
    clockIn.finish();
  }
  in.finish();
  s_.setup.run(r, call.origin, s_.setupCodeFile);
  return signedInResponse(201, s_.sessions.signIn(r.username, r.password, call.origin));
}

Response Api::signedInResponse(int status, const domain::SignInResult& result) {
  auto response = sessionResponse(status, result.principal, result.idleExpiresAt, result.absoluteExpiresAt);
  response.withHeader("Set-Cookie", sessionCookie(result.token, result.rememberUntil ? result.rememberUntil - s_.clock.view().now : 0));
  return response;
}

Response Api::rememberChallenge(Call& call) {
  return Response::json(200, {{"challenge", s_.sessions.rememberChallenge(call.who())}});
}

Response Api::renewRemembered(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const std::string challenge = in.requiredString("challenge", 1, 200);
  const std::string signature = in.requiredString("signature", 1, 200);
  in.finish();
  return signedInResponse(200, s_.sessions.renewRemembered(call.who(), challenge, signature));
}

Response Api::confirmPassword(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const std::string password = in.requiredSecret("password", 1, 128);
  in.finish();
  s_.sessions.confirmPassword(call.who(), password);
  return Response::json(200, {{"message", "Thank you: carry on."}});
}

Response Api::signIn(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const std::string username = in.requiredName("username", 1, 64);
  const std::string password = in.requiredSecret("password", 1, 128);
  const auto device = readDeviceProof(in);
  const auto rememberKey = in.optionalString("remember_key", 1, 512);
  in.finish();
  return signedInResponse(200, s_.sessions.signIn(username, password, call.origin, device, rememberKey));
}

Response Api::redeemCode(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const std::string username = in.requiredName("username", 1, 64);
  const std::string code = in.requiredString("code", 1, 64);
  const std::string password = in.requiredSecret("new_password", 1, 128);
  in.finish();
  s_.accounts.redeemCode(username, code, password, call.origin);
  return Response::json(200, {{"message", "Your password is set. Sign in with it now."}});
}

Response Api::currentSession(Call& call) {
  const auto& p = call.who();
  // The session was just validated and touched, so its idle deadline counts from now.
  const auto record = s_.sessions.listOwn(p);
  for (const auto& view : record) {
    if (view.current) return sessionResponse(200, p, view.idleExpiresAt, view.absoluteExpiresAt);
  }
  return Response::error(401, "session_required", "Sign in to continue.");
}

Response Api::signOut(Call& call) {
  s_.sessions.signOut(call.who());
  return Response::json(200, {{"message", "You are signed out."}}).withHeader("Set-Cookie", clearedSessionCookie());
}

Response Api::listMySessions(Call& call) {
  Json list = Json::array();
  for (const auto& v : s_.sessions.listOwn(call.who())) {
    list.push_back({{"id", v.record.id},
                    {"current", v.current},
                    {"created_at", formatTimestamp(v.record.createdAt)},
                    {"last_seen_at", formatTimestamp(v.record.lastSeenAt)},
                    {"address", v.record.address},
                    {"user_agent", v.record.userAgent},
                    {"idle_expires_at", formatTimestamp(v.idleExpiresAt)},
                    {"absolute_expires_at", formatTimestamp(v.absoluteExpiresAt)},
                    {"remembered", v.record.remembered()}});
  }
  return Response::json(200, {{"sessions", list}});
}

Response Api::endMySession(Call& call) {
  s_.sessions.endOwn(call.who(), call.params.at("id"));
  return Response::json(200, {{"message", "That session has ended."}});
}

Response Api::changeMyPassword(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const std::string current = in.requiredSecret("current_password", 1, 128);
  const std::string next = in.requiredSecret("new_password", 1, 128);
  in.finish();
  s_.accounts.changePassword(call.who(), current, next);
  return Response::json(200, {{"message", "Your password is changed. Your other sessions have been signed out."}});
}

Response Api::setMyPin(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const std::string password = in.requiredSecret("password", 1, 128);
  const std::string pin = in.requiredSecret("pin", 1, 8);
  in.finish();
  s_.accounts.setOwnPin(call.who(), password, pin);
  return Response::json(200, {{"message", "Your PIN is set."}});
}

Response Api::listUsers(Call& call) {
  storage::UserQuery query;
  if (const auto role = call.request.queryValue("role")) {
    if (!domain::roleFromName(*role)) throw InputError("role", "'role' must be manager, staff or parent.");
    query.role = *role;
  }
  if (const auto active = call.request.queryValue("active")) {
    if (*active != "true" && *active != "false") throw InputError("active", "'active' must be true or false.");
    query.active = *active == "true";
  }
  // needs: only the accounts a to-do item counts (issue 32).
  using Needs = domain::AccountService::Needs;
  Needs needs = Needs::any;
  if (const auto value = call.request.queryValue("needs")) {
    if (*value == "pin") needs = Needs::pin;
    else if (*value == "code_unused") needs = Needs::codeUnused;
    else if (*value == "code_expired") needs = Needs::codeExpired;
    else throw InputError("needs", "'needs' must be pin, code_unused or code_expired.");
  }
  Json list = Json::array();
  for (const auto& user : s_.accounts.list(call.who(), query, needs)) list.push_back(userJson(user));
  return Response::json(200, {{"users", list}});
}

Response Api::createUser(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::NewAccount account;
  account.username = in.requiredName("username", 1, 64);
  account.displayName = in.requiredName("display_name", 1, 100);
  account.email = in.optionalString("email", 0, 254);
  account.role = *parseRole(in.requiredString("role", 1, 16), "role");
  in.finish();
  const auto [user, code] = s_.accounts.create(call.who(), account);
  return Response::json(201, {{"user", userJson(user)}, {"one_time_code", codeJson(code)}});
}

Response Api::getUser(Call& call) {
  return Response::json(200, {{"user", userJson(s_.accounts.get(call.who(), call.params.at("id")))}});
}

Response Api::updateUser(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::AccountChange change;
  change.username = in.optionalName("username", 1, 64);
  change.displayName = in.optionalName("display_name", 1, 100);
  change.email = in.optionalString("email", 0, 254);
  change.role = parseRole(in.optionalString("role", 1, 16), "role");
  in.finish();
  return Response::json(200, {{"user", userJson(s_.accounts.update(call.who(), call.params.at("id"), change))}});
}

Response Api::deactivateUser(Call& call) {
  return Response::json(200, {{"user", userJson(s_.accounts.deactivate(call.who(), call.params.at("id")))}});
}

Response Api::reactivateUser(Call& call) {
  return Response::json(200, {{"user", userJson(s_.accounts.reactivate(call.who(), call.params.at("id")))}});
}

Response Api::issueResetCode(Call& call) {
  return Response::json(201, {{"one_time_code", codeJson(s_.accounts.issueReset(call.who(), call.params.at("id")))}});
}

Response Api::setUserPin(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const std::string pin = in.requiredSecret("pin", 1, 8);
  in.finish();
  s_.accounts.setPinFor(call.who(), call.params.at("id"), pin);
  return Response::json(200, {{"message", "The PIN is set."}});
}

Response Api::getSettings(Call& call) {
  const auto setting = s_.settings.current();
  if (!setting) return Response::error(404, "not_set_up", "The box has not been set up yet.");
  return Response::json(200, {{"setting", settingJson(*setting, call.who().role == Role::manager)}});
}

Response Api::updateSettings(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::SettingsChange c;
  c.name = in.optionalName("name", 1, 120);
  c.framework = in.optionalString("framework", 1, 16);
  c.passwordRequireMixed = in.optionalBool("password_require_mixed");
  c.keepUnredactedOriginals = in.optionalBool("keep_unredacted_originals");
  c.outsideManagerRead = in.optionalBool("outside_manager_read");
  c.secureSubnets = in.optionalString("secure_subnets", 1, 2000);
  c.timeZone = in.optionalString("time_zone", 1, 64);
  c.storageReserveMiB = in.optionalInt("storage_reserve_mib", 0, 1LL << 22);
  auto intField = [&](const char* name) -> std::optional<int> {
    auto v = in.optionalInt(name, 0, 100000);
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
  };
  c.passwordMaxAgeDays = intField("password_max_age_days");
  c.invitationDays = intField("invitation_days");
  c.redactionMarginPct = intField("redaction_margin_pct");
  c.rememberDays = intField("remember_days");
  c.exportReminderOn = in.optionalString("export_reminder_on", 0, 5);
  c.leaverReadDays = intField("leaver_read_days");
  c.leaverArchiveDays = intField("leaver_archive_days");
  c.idleMinutesManager = intField("idle_minutes_manager");
  c.idleMinutesStaff = intField("idle_minutes_staff");
  c.idleMinutesParent = intField("idle_minutes_parent");
  c.absoluteHoursManager = intField("absolute_hours_manager");
  c.absoluteHoursStaff = intField("absolute_hours_staff");
  c.absoluteHoursParent = intField("absolute_hours_parent");
  in.finish();
  return Response::json(200, {{"setting", settingJson(s_.settings.update(call.who(), c), true)}});
}

// The names of what a page of audit rows is about, read as the manager may see them (issue 32):
// each kind of record read once, an entry or a photo by its id; what is gone is left out (the
// row then says "a child who has left", never an id).
domain::AuditNames Api::auditNames(const domain::Principal& who, const std::vector<storage::AuditRecord>& records) {
  domain::AuditNames names;
  std::set<std::string> types;
  for (const auto& r : records) {
    if (r.targetType) types.insert(*r.targetType);
    if (r.deviceId) types.insert("device");
    if (r.actorId) types.insert("user");
  }
  if (types.contains("child")) {
    storage::ChildQuery all;
    all.includeLeft = true;
    for (const auto& c : s_.children.children(who, all)) names["child"][c.id] = c.firstName + " " + c.lastName;
  }
  if (types.contains("room")) {
    for (const auto& r : s_.children.rooms(who)) names["room"][r.id] = r.name;
  }
  if (types.contains("device")) {
    for (const auto& d : s_.devices.list(who)) names["device"][d.id] = d.name;
  }
  if (types.contains("user")) {
    for (const auto& u : s_.accounts.list(who, {})) {
      names["user"][u.id] = u.displayName;
      names["username"][u.id] = u.username;
    }
  }
  const auto entryTitle = [&](const std::string& entryId) -> std::optional<std::string> {
    if (const auto known = names["entry"].find(entryId); known != names["entry"].end()) return known->second;
    try {
      const auto title = "“" + s_.journal.get(who, entryId).entry.title + "”";
      names["entry"][entryId] = title;
      return title;
    } catch (const DomainError&) {
      return std::nullopt;
    }
  };
  for (const auto& r : records) {
    if (!r.targetType || !r.targetId) continue;
    if (*r.targetType == "entry") {
      entryTitle(*r.targetId);
    } else if (*r.targetType == "media" && !names["media"].contains(*r.targetId)) {
      try {
        const auto m = s_.media.get(who, *r.targetId);
        const std::string what = m.kind == "video" ? "a video" : m.kind == "document" ? "a document" : "a photo";
        const auto title = m.entryId ? entryTitle(*m.entryId) : std::nullopt;
        names["media"][*r.targetId] = title ? what + " in " + *title : what + " not yet in an entry";
      } catch (const DomainError&) {
        // gone: described, not named
      }
    }
  }
  return names;
}

Response Api::listAuditEvents(Call&) {  // managers only, by the route
  Json events = Json::array();
  for (const auto& e : allEvents()) {
    if (e.audited) events.push_back({{"id", e.id}, {"description", e.description}});
  }
  return Response::json(200, {{"events", events}});
}

Response Api::listAudit(Call& call) {
  const auto& r = call.request;
  storage::AuditQuery q;
  if (const auto event = r.queryValue("event")) {
    if (!eventFromId(*event)) throw InputError("event", "'event' is not a known event id.");
    q.event = *event;
  }
  if (const auto actor = r.queryValue("actor")) q.actorId = *actor;
  if (const auto since = r.queryValue("since")) q.since = parseTimeParam(*since, "since");
  if (const auto until = r.queryValue("until")) q.until = parseTimeParam(*until, "until");
  if (const auto cursor = r.queryValue("cursor")) {
    if (cursor->empty() || cursor->size() > 18 || cursor->find_first_not_of("0123456789") != std::string::npos) {
      throw InputError("cursor", "'cursor' must be the next_cursor value of an earlier page.");
    }
    q.beforeSeq = std::stoll(*cursor);
  }
  q.limit = parseLimitParam(r.queryValue("limit"), 50, 200);
  Json entries = Json::array();
  const auto records = s_.audit.query(call.who(), q);
  const auto names = auditNames(call.who(), records);
  const auto nameOf = [&](const std::string& type, const std::optional<std::string>& id) -> Json {
    if (!id) return nullptr;
    const auto name = domain::auditSubjectName(type, *id, names);
    return name ? Json(*name) : Json(nullptr);
  };
  for (const auto& e : records) {
    const auto id = eventFromId(e.event);
    // Who did it: rows written by a job (a finished upload, a box-camera photo) carry only
    // the person's id, so their username is looked up; and everyone's name as managers know
    // them (absent once the account is gone).
    Json actorName = optionalJson(e.actorName);
    Json actorDisplayName = nullptr;
    if (e.actorId) {
      if (const auto u = names.find("username"); !e.actorName && u != names.end() && u->second.contains(*e.actorId)) {
        actorName = u->second.at(*e.actorId);
      } else if (!e.actorName) {
        actorName = nameOf("user", e.actorId);  // "a person whose account is gone"
      }
      if (const auto d = names.find("user"); d != names.end() && d->second.contains(*e.actorId)) {
        actorDisplayName = d->second.at(*e.actorId);
      }
    }
    entries.push_back({{"seq", e.seq},
                       {"at", formatTimestamp(e.at)},
                       {"event", e.event},
                       {"description", id ? std::string(eventInfo(*id).description) : e.event},
                       {"actor_id", optionalJson(e.actorId)},
                       {"actor_name", actorName},
                       {"actor_display_name", actorDisplayName},
                       {"address", optionalJson(e.address)},
                       {"device_id", optionalJson(e.deviceId)},
                       {"device_name", nameOf("device", e.deviceId)},
                       {"target_type", optionalJson(e.targetType)},
                       {"target_id", optionalJson(e.targetId)},
                       {"target_name", e.targetType ? nameOf(*e.targetType, e.targetId) : Json(nullptr)},
                       {"detail", Json::parse(e.detail, nullptr, false)}});
  }
  const bool more = static_cast<int>(records.size()) == q.limit;
  return Response::json(200, {{"entries", entries},
                              {"next_cursor", more ? Json(std::to_string(records.back().seq)) : Json(nullptr)}});
}

Json readBody(const Request& request) {
  if (request.body.empty()) return Json::object();
  return parseJsonObject(request.body);
}

std::string Api::sessionCookie(const std::string& token, int64_t maxAgeSeconds) {
  // __Host-: only over HTTPS, only for this exact host, path /. Session cookie (no Max-Age):
  // the server decides when it expires; a remembered phone's persists to its last day.
  std::string cookie = std::string(kSessionCookie) + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Strict";
  if (maxAgeSeconds > 0) cookie += "; Max-Age=" + std::to_string(maxAgeSeconds);
  return cookie;
}

std::string Api::clearedSessionCookie() {
  return std::string(kSessionCookie) + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0";
}

}  // namespace nestbox::http
