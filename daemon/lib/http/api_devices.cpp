// Registered devices: managers issue enrolment codes and manage tablets; a tablet enrols with
// its public key and proves itself by signing challenges; staff report a device lost.

#include "http/api.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using system::formatTimestamp;

Json time(const std::optional<int64_t>& t) { return t ? Json(formatTimestamp(*t)) : Json(nullptr); }

Json deviceJson(const storage::DeviceRecord& d) {
  return {{"id", d.id}, {"name", d.name}, {"room_id", d.roomId ? Json(*d.roomId) : Json(nullptr)}, {"state", d.state},
          {"enrolled_at", time(d.enrolledAt)}, {"enrolment_expires_at", time(d.enrolmentExpiresAt)},
          {"revoked_at", time(d.revokedAt)}, {"revoked_reason", d.revokedReason}, {"revoked_note", d.revokedNote},
          {"alert", !d.alertAcknowledged}, {"last_seen_at", time(d.lastSeenAt)},
          {"last_user_id", d.lastUserId ? Json(*d.lastUserId) : Json(nullptr)},
          {"last_address", d.lastAddress ? Json(*d.lastAddress) : Json(nullptr)}};
}

Json enrolmentJson(const domain::Enrolment& e) {
  return {{"device", deviceJson(e.device)},
          {"enrolment", {{"code", e.code}, {"expires_at", formatTimestamp(e.expiresAt)}}}};
}

Json body(const Request& r) { return r.body.empty() ? Json::object() : parseJsonObject(r.body); }

}  // namespace

void Api::addDeviceRoutes() {
  auto bind = [this](Response (Api::*method)(Call&)) { return [this, method](Call& c) { return (this->*method)(c); }; };
  add("GET", "/api/v1/devices", Who::staff, bind(&Api::listDevices));
  add("POST", "/api/v1/devices", Who::manager, bind(&Api::createDevice));
  add("PATCH", "/api/v1/devices/:id", Who::manager, bind(&Api::updateDevice));
  add("POST", "/api/v1/devices/:id/re-enrol", Who::manager, bind(&Api::reEnrolDevice));
  add("POST", "/api/v1/devices/:id/report", Who::staff, bind(&Api::reportDevice));
  add("POST", "/api/v1/devices/:id/acknowledge", Who::manager, bind(&Api::acknowledgeDevice));
  add("POST", "/api/v1/devices/enrol", Access::open, bind(&Api::enrolDevice));
  add("POST", "/api/v1/devices/:id/challenge", Access::open, bind(&Api::deviceChallenge));
}

Response Api::listDevices(Call& call) {
  Json list = Json::array();
  for (const auto& d : s_.devices.list(call.who())) list.push_back(deviceJson(d));
  return Response::json(200, {{"devices", list}});
}

Response Api::createDevice(Call& call) {
  const Json b = body(call.request);
  JsonReader in(b);
  const auto name = in.requiredString("name", 1, 80);
  const auto room = in.optionalString("room_id", 1, 64);
  in.finish();
  return Response::json(201, enrolmentJson(s_.devices.create(call.who(), name, room)));
}

Response Api::updateDevice(Call& call) {
  const Json b = body(call.request);
  JsonReader in(b);
  const auto name = in.optionalString("name", 1, 80);
  const auto room = in.optionalString("room_id", 0, 64);
  in.finish();
  return Response::json(200, {{"device", deviceJson(s_.devices.rename(call.who(), call.params.at("id"), name, room))}});
}

Response Api::reEnrolDevice(Call& call) {
  return Response::json(200, enrolmentJson(s_.devices.reEnrol(call.who(), call.params.at("id"))));
}

Response Api::reportDevice(Call& call) {
  const Json b = body(call.request);
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
  const Json b = body(call.request);
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

}  // namespace nestbox::http
