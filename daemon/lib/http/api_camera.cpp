// The box camera part of the API (issue 18): the capture station's state, starting and
// stopping the preview, its frames, and stills. Frames are sent as the camera made them
// (JPEG), never cached by the browser or nginx, and never stored.

#include "domain/errors.hpp"
#include "http/api.hpp"
#include "http/media_json.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

Json sessionJson(const domain::CameraSession& s) {
  return {{"held_by", s.holder.name},
          {"device", s.holder.deviceName},
          {"camera", s.model},
          {"mine", s.mine},
          {"since", system::formatTimestamp(s.holder.since)},
          {"idle_stops_at", system::formatTimestamp(s.idleStopsAt)}};
}

}  // namespace

std::vector<Api::RouteDef> Api::cameraRoutes() {
  using enum Audience;
  return {
      {"GET", "/api/v1/camera", {.audience = staff}, &Api::cameraStatus},
      {"POST", "/api/v1/camera/session", {.audience = staff}, &Api::openCamera},
      {"POST", "/api/v1/camera/session/touch", {.audience = staff}, &Api::touchCamera},
      {"DELETE", "/api/v1/camera/session", {.audience = staff}, &Api::closeCamera},
      {"GET", "/api/v1/camera/preview", {.audience = staff}, &Api::cameraPreview},
      {"POST", "/api/v1/camera/capture", {.audience = staff}, &Api::captureStill},
  };
}

Response Api::cameraStatus(Call& call) {
  const auto s = s_.camera.status(call.who());
  Json cameras = Json::array();
  for (const auto& c : s.cameras) cameras.push_back({{"id", c.id}, {"model", c.model}});
  Json out = {{"source", s.source},
              {"cameras", cameras},
              {"session", s.session ? sessionJson(*s.session) : Json(nullptr)},
              {"stopped_reason", s.stoppedReason.empty() ? Json(nullptr) : Json(s.stoppedReason)}};
  return Response::json(200, {{"camera", out}});
}

Response Api::openCamera(Call& call) {
  if (!call.request.body.empty()) readBody(call.request);  // nothing to send; rejects garbage
  return Response::json(201, {{"session", sessionJson(s_.camera.open(call.who()))}});
}

Response Api::touchCamera(Call& call) {
  return Response::json(200, {{"session", sessionJson(s_.camera.touch(call.who()))}});
}

// The caller's own preview; ?holder=any (managers) stops whoever has the camera.
Response Api::closeCamera(Call& call) {
  const auto holder = call.request.queryValue("holder");
  if (holder && *holder != "any") throw InputError("holder", "Send holder=any to stop the camera whoever has it, or nothing.");
  s_.camera.close(call.who(), holder.has_value());
  return Response{204, {}, {}};
}

Response Api::cameraPreview(Call& call) {
  const auto frame = s_.camera.preview(call.who());
  Response r{frame.bytes.empty() ? 204 : 200, {}, frame.bytes};
  if (!frame.bytes.empty()) r.withHeader("Content-Type", "image/jpeg");
  r.withHeader("Cache-Control", "no-store");
  r.withHeader("X-Frame-Sequence", std::to_string(frame.sequence));
  return r;
}

Response Api::captureStill(Call& call) {
  if (!call.request.body.empty()) readBody(call.request);
  const auto m = s_.camera.capture(call.who());
  return Response::json(201, {{"media", mediaRecordJson(m, true)}});
}

}  // namespace nestbox::http
