// Journal exports (issue 20): a family's or a manager's zip of a child's journal, made in the
// background and followed at /exports/:id; the file itself is served by nginx after the
// daemon has authorised the request (X-Accel-Redirect, with Range for phones that resume).

#include "domain/errors.hpp"
#include "http/api.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

Json timeOrNull(const std::optional<int64_t>& t) { return t ? Json(system::formatTimestamp(*t)) : Json(nullptr); }

Json exportJson(const domain::ExportView& v) {
  const auto& r = v.record;
  Json children = Json::array();
  for (const auto& [id, name] : v.children) children.push_back({{"id", id}, {"name", name}});
  return {{"id", r.id},
          {"state", r.state},
          {"scope", r.scope},
          {"children", children},
          {"room", v.room ? Json{{"id", v.room->first}, {"name", v.room->second}} : Json(nullptr)},
          {"progress", {{"done", r.done}, {"total", r.total}, {"step", r.step.empty() || r.state != "running" ? Json(nullptr) : Json(r.step)}}},
          {"bytes", r.bytes ? Json(*r.bytes) : Json(nullptr)},
          {"created_at", system::formatTimestamp(r.createdAt)},
          {"finished_at", timeOrNull(r.finishedAt)},
          {"expires_at", r.state == "ready" ? timeOrNull(r.expiresAt) : Json(nullptr)},
          {"error", r.errorCode.empty() ? Json(nullptr) : Json{{"code", r.errorCode}, {"message", r.errorMessage}}},
          {"download", r.state == "ready" ? Json("/api/v1/exports/" + r.id + "/download") : Json(nullptr)}};
}

// RFC 6266: an ASCII name for old clients, and the UTF-8 one.
std::string attachment(const std::string& name) {
  std::string ascii, encoded;
  static const char* hex = "0123456789ABCDEF";
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    ascii += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? ch : '_';
    if (std::isalnum(c) || std::string_view("-._~").find(ch) != std::string_view::npos) {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

std::vector<Api::RouteDef> Api::exportRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      // Parents for their own children, managers for any (the service checks which).
      {"POST", "/api/v1/exports", {.audience = signedIn, .freshPassword = true, .outside = families}, &Api::requestExport},
      {"GET", "/api/v1/exports", {.audience = signedIn, .outside = families}, &Api::listExports},
      {"GET", "/api/v1/exports/reminder", {.audience = parent, .outside = families}, &Api::exportReminder},
      {"GET", "/api/v1/exports/:id", {.audience = signedIn, .outside = families}, &Api::getExport},
      {"DELETE", "/api/v1/exports/:id", {.audience = signedIn, .outside = families}, &Api::cancelExport},
      {"GET", "/api/v1/exports/:id/download", {.audience = signedIn, .outside = families}, &Api::downloadExport},
  };
}

Response Api::requestExport(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto childId = in.optionalString("child_id", 1, 64);
  const auto roomId = in.optionalString("room_id", 1, 64);
  const auto leavers = in.optionalBool("leavers");
  in.finish();
  if (childId.has_value() == roomId.has_value()) {
    throw InputError("child_id", "Say which journal to export: {\"child_id\": ...}, or a room's leavers: "
                                 "{\"room_id\": ..., \"leavers\": true}.");
  }
  if (roomId && leavers != true) throw InputError("leavers", "A room's export is of its leavers: add \"leavers\": true.");
  const auto view = childId ? s_.exports.request(call.who(), *childId) : s_.exports.requestLeavers(call.who(), *roomId);
  return Response::json(202, {{"export", exportJson(view)}});
}

Response Api::listExports(Call& call) {
  Json list = Json::array();
  for (const auto& v : s_.exports.list(call.who())) list.push_back(exportJson(v));
  return Response::json(200, {{"exports", list}});
}

Response Api::exportReminder(Call& call) {
  const auto r = s_.exports.reminder(call.who());
  return Response::json(200, {{"reminder", {{"due", r.due}, {"since", r.since ? Json(*r.since) : Json(nullptr)}}}});
}

Response Api::getExport(Call& call) {
  return Response::json(200, {{"export", exportJson(s_.exports.get(call.who(), call.params.at("id")))}});
}

Response Api::cancelExport(Call& call) {
  s_.exports.cancel(call.who(), call.params.at("id"));
  return Response{204, {}, {}};
}

Response Api::downloadExport(Call& call) {
  const auto range = call.request.header("range");
  const bool resumed = range && range->rfind("bytes=0-", 0) != 0;
  const auto served = s_.exports.download(call.who(), call.params.at("id"), resumed);
  Response r{200, {}, {}};
  r.withHeader("X-Accel-Redirect", "/_nestbox_media/" + served.relativePath);
  r.withHeader("Content-Type", "application/zip");
  r.withHeader("Content-Disposition", attachment(served.downloadName));
  r.withHeader("Cache-Control", "private, no-store");
  return r;
}

}  // namespace nestbox::http
