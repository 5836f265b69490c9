// Registered devices: managers issue enrolment codes and manage tablets; a tablet enrols with
// its public key and proves itself by signing challenges; staff report a device lost.

#include "http/api.hpp"
#include "http/json_out.hpp"
#include "security/device_keys.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using system::formatTimestamp;

Json time(const std::optional<int64_t>& t) { return t ? Json(formatTimestamp(*t)) : Json(nullptr); }

Json deviceJson(const storage::DeviceRecord& d) {
  return {{"id", d.id}, {"name", d.name}, {"room_id", optionalJson(d.roomId)}, {"state", d.state},
          {"enrolled_at", time(d.enrolledAt)}, {"enrolment_expires_at", time(d.enrolmentExpiresAt)},
          {"revoked_at", time(d.revokedAt)}, {"revoked_reason", d.revokedReason}, {"revoked_note", d.revokedNote},
          {"alert", !d.alertAcknowledged}, {"last_seen_at", time(d.lastSeenAt)},
          {"last_user_id", optionalJson(d.lastUserId)},
          {"last_address", optionalJson(d.lastAddress)},
          {"has_certificate", d.clientCertSha1.has_value()}};
}

Json enrolmentJson(const domain::Enrolment& e) {
  return {{"device", deviceJson(e.device)},
          {"enrolment", {{"code", e.code}, {"expires_at", formatTimestamp(e.expiresAt)}}}};
}

}  // namespace

std::optional<domain::DeviceProof> readDeviceProof(JsonReader& in) {
  auto id = in.optionalString("device_id", 1, 64);
  auto challenge = in.optionalString("challenge", 1, 100);
  auto signature = in.optionalString("signature", 1, 200);
  if (!id && !challenge && !signature) return std::nullopt;
  if (!id || !challenge || !signature) {
    throw InputError(!id ? "device_id" : !challenge ? "challenge" : "signature",
                     "A device proof needs device_id, challenge and signature together.");
  }
  return domain::DeviceProof{*id, *challenge, *signature};
}

namespace {
domain::DeviceProof requireDeviceProof(JsonReader& in) {
  auto proof = readDeviceProof(in);
  if (!proof) throw InputError("device_id", "This needs the tablet's proof: device_id, challenge and signature.");
  return *proof;
}
}  // namespace

std::vector<Api::RouteDef> Api::deviceRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      {"GET", "/api/v1/devices", {.audience = staff}, &Api::listDevices},
      {"POST", "/api/v1/devices", {.audience = manager}, &Api::createDevice},
      {"PATCH", "/api/v1/devices/:id", {.audience = manager}, &Api::updateDevice},
      {"POST", "/api/v1/devices/:id/re-enrol", {.audience = manager}, &Api::reEnrolDevice},
      {"POST", "/api/v1/devices/:id/report", {.audience = staff}, &Api::reportDevice},
      {"POST", "/api/v1/devices/:id/acknowledge", {.audience = manager}, &Api::acknowledgeDevice},
      {"POST", "/api/v1/devices/enrol", {.audience = open}, &Api::enrolDevice},
      {"POST", "/api/v1/devices/:id/challenge", {.audience = open}, &Api::deviceChallenge},
      {"POST", "/api/v1/devices/:id/people", {.audience = open}, &Api::devicePeople},
      {"POST", "/api/v1/devices/:id/certificate", {.audience = manager}, &Api::issueDeviceCertificate},
      {"POST", "/api/v1/auth/pin", {.audience = open}, &Api::pinSignIn},
      {"POST", "/api/v1/auth/renew", {.audience = signedIn, .proofDue = true}, &Api::renewDeviceProof},
      {"POST", "/api/v1/auth/sign-out-everywhere", {.audience = signedIn, .passwordChange = true, .outside = managersRead}, &Api::signOutEverywhere},
      {"POST", "/api/v1/child-view", {.audience = staff}, &Api::enterChildView},
      {"GET", "/api/v1/child-view", {.audience = signedIn, .childView = true}, &Api::childViewJournal},
      {"POST", "/api/v1/child-view/leave", {.audience = signedIn, .childView = true}, &Api::leaveChildView},
  };
}

Response Api::listDevices(Call& call) {
  // not_seen=true: the to-do's list (issue 32), a manager's.
  bool notSeen = false;
  if (const auto value = call.request.queryValue("not_seen")) {
    if (*value != "true") throw InputError("not_seen", "'not_seen' must be true, or left out for every device.");
    notSeen = true;
  }
  Json list = Json::array();
  for (const auto& d : notSeen ? s_.devices.notSeen(call.who()) : s_.devices.list(call.who())) {
    auto json = deviceJson(d);
    json["last_user_name"] = d.lastUserId ? Json(s_.accounts.displayName(*d.lastUserId)) : Json(nullptr);
    list.push_back(std::move(json));
  }
  return Response::json(200, {{"devices", list}});
}

Response Api::createDevice(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto name = in.requiredName("name", 1, 80);
  const auto room = in.optionalString("room_id", 1, 64);
  in.finish();
  return Response::json(201, enrolmentJson(s_.devices.create(call.who(), name, room)));
}

Response Api::updateDevice(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto name = in.optionalName("name", 1, 80);
  const auto room = in.optionalString("room_id", 0, 64);
  in.finish();
  return Response::json(200, {{"device", deviceJson(s_.devices.rename(call.who(), call.params.at("id"), name, room))}});
}

Response Api::reEnrolDevice(Call& call) {
  return Response::json(200, enrolmentJson(s_.devices.reEnrol(call.who(), call.params.at("id"))));
}

Response Api::reportDevice(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  domain::DeviceReport report;
  report.what = in.requiredString("what", 1, 16);
  report.note = in.optionalString("note", 0, 2000).value_or("");
  in.finish();
  return Response::json(200, {{"device", deviceJson(s_.devices.report(call.who(), call.params.at("id"), report))}});
}

Response Api::acknowledgeDevice(Call& call) {
  s_.devices.acknowledge(call.who(), call.params.at("id"));
  return Response::json(200, {{"acknowledged", true}});
}

Response Api::enrolDevice(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto code = in.requiredString("code", 1, 64);
  const auto key = in.requiredString("public_key", 1, 400);
  in.finish();
  const auto d = s_.devices.enrol(code, key, call.origin);
  return Response::json(201, {{"device", {{"id", d.id}, {"name", d.name}}}});
}

Response Api::deviceChallenge(Call& call) {
  return Response::json(200, {{"challenge", s_.devices.challenge(call.params.at("id"))}});
}

// The MDM tier: a PKCS#12 bundle (client certificate and key, signed by the box CA) for the
// setting's mobile-device-management system to install; its password is shown once.
Response Api::issueDeviceCertificate(Call& call) {
  const auto issued = s_.devices.issueCertificate(call.who(), call.params.at("id"), s_.tlsDir);
  return Response::json(201, {{"device", deviceJson(issued.device)},
                              {"certificate", {{"pkcs12_base64", security::base64Encode(issued.certificate.pkcs12)},
                                               {"password", issued.password},
                                               {"sha1", issued.certificate.sha1},
                                               {"expires_at", formatTimestamp(issued.certificate.notAfter)}}}});
}

// The name picker on a shared tablet: who may switch in with a PIN. The tablet proves itself,
// so the staff list never reaches a device that is not the setting's.
Response Api::devicePeople(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto challenge = in.requiredString("challenge", 1, 100);
  const auto signature = in.requiredString("signature", 1, 200);
  in.finish();
  Json list = Json::array();
  for (const auto& u : s_.sessions.pinUsers({call.params.at("id"), challenge, signature})) {
    list.push_back({{"id", u.id}, {"display_name", u.displayName}, {"pin_locked", u.pinLocked}});
  }
  return Response::json(200, {{"people", list}});
}

Response Api::pinSignIn(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto userId = in.requiredString("user_id", 1, 64);
  const auto pin = in.requiredSecret("pin", 1, 32);
  const auto proof = readDeviceProof(in);
  in.finish();
  return signedInResponse(200, s_.sessions.pinSignIn(userId, pin, proof, call.origin));
}

Response Api::renewDeviceProof(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto proof = requireDeviceProof(in);
  in.finish();
  s_.sessions.renewDeviceProof(call.who(), proof);
  return Response::json(200, {{"renewed", true}});
}

Response Api::signOutEverywhere(Call& call) {
  const int ended = s_.sessions.signOutEverywhere(call.who());
  return Response::json(200, {{"sessions_ended", ended}}).withHeader("Set-Cookie", clearedSessionCookie());
}

Response Api::enterChildView(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto childId = in.requiredString("child_id", 1, 64);
  in.finish();
  const auto child = s_.children.child(call.who(), childId);  // not found for an unknown id
  s_.sessions.enterChildView(call.who(), child.id);
  return Response::json(200, {{"child_view", child.id}});
}

Response Api::leaveChildView(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto pin = in.requiredSecret("pin", 1, 32);
  in.finish();
  s_.sessions.leaveChildView(call.who(), pin);
  return Response::json(200, {{"child_view", nullptr}});
}

}  // namespace nestbox::http
