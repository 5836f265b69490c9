// Fault lockdown: the public notice, a manager's switch, updates and lifting (which take the
// manager's username, password and PIN each time: every session ended when it engaged), and
// the incident timeline for IT support.

#include "http/api.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using system::formatTimestamp;

// What anyone may read: when, the managers' updates, and once lifted what happened and what
// was done. Never the internal reason, nor who engaged it.
Json noticeJson(const domain::Incident& i) {
  Json updates = Json::array();
  for (const auto& u : i.updates) updates.push_back({{"at", formatTimestamp(u.at)}, {"message", u.message}});
  Json out = {{"since", formatTimestamp(i.record.engagedAt)}, {"updates", updates}};
  if (i.record.liftedAt) {
    out["lifted_at"] = formatTimestamp(*i.record.liftedAt);
    out["fault"] = i.record.fault;
    out["rectification"] = i.record.rectification;
  }
  return out;
}

Json incidentJson(const domain::Incident& i) {
  Json out = noticeJson(i);
  out["id"] = i.record.id;
  out["engaged_by"] = i.record.engagedBy;
  out["via"] = i.record.via;
  out["reason"] = i.record.reason;
  out["lifted_by"] = i.record.liftedBy;
  Json updates = Json::array();
  for (const auto& u : i.updates) updates.push_back({{"at", formatTimestamp(u.at)}, {"author", u.author}, {"message", u.message}});
  out["updates"] = updates;
  return out;
}

domain::ManagerCredentials credentials(JsonReader& in) {
  domain::ManagerCredentials m;
  m.username = in.requiredName("username", 1, 64);
  m.password = in.requiredSecret("password", 1, 128);
  m.pin = in.requiredSecret("pin", 1, 8);
  return m;
}

}  // namespace

Response Api::lockedDown() {
  return Response::error(503, "lockdown",
                         "Nestbox is locked down while a fault is checked. Nothing can be seen or sent until a manager "
                         "lifts it; the notice page has the latest.")
      .withHeader("Retry-After", "300");
}

std::vector<Api::RouteDef> Api::lockdownRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      {"GET", "/api/v1/lockdown", {.audience = open, .lockdownOpen = true, .outside = families}, &Api::lockdownNotice},
      {"POST", "/api/v1/lockdown", {.audience = manager}, &Api::engageLockdown},
      {"POST", "/api/v1/lockdown/updates", {.audience = open, .lockdownOpen = true}, &Api::postLockdownUpdate},
      {"POST", "/api/v1/lockdown/lift", {.audience = open, .lockdownOpen = true}, &Api::liftLockdown},
      {"GET", "/api/v1/lockdown/incidents", {.audience = manager}, &Api::listIncidents},
  };
}

Response Api::lockdownNotice(Call&) {
  if (const auto open = s_.lockdown.current()) return Response::json(200, {{"engaged", true}, {"notice", noticeJson(*open)}});
  const auto recent = s_.lockdown.recentlyLifted(30);
  return Response::json(200, {{"engaged", false}, {"last", recent ? noticeJson(*recent) : Json(nullptr)}});
}

Response Api::engageLockdown(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto reason = in.requiredString("reason", 1, 2000);
  const auto confirm = in.optionalBool("confirm");
  in.finish();
  if (!confirm.value_or(false)) {
    throw InputError("confirm", "Confirm the lockdown: everyone is signed out and the journal closes until a manager lifts it.");
  }
  const auto incident = s_.lockdown.engage(call.who(), reason);
  return Response::json(200, {{"engaged", true}, {"notice", noticeJson(incident)}})
      .withHeader("Set-Cookie", clearedSessionCookie());
}

Response Api::postLockdownUpdate(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto manager = credentials(in);
  const auto message = in.requiredString("message", 1, 2000);
  in.finish();
  s_.lockdown.postUpdate(manager, message, call.origin);
  return Response::json(201, {{"notice", noticeJson(*s_.lockdown.current())}});
}

Response Api::liftLockdown(Call& call) {
  const Json b = readBody(call.request);
  JsonReader in(b);
  const auto manager = credentials(in);
  const auto fault = in.requiredString("fault", 1, 2000);
  const auto rectification = in.requiredString("rectification", 1, 2000);
  in.finish();
  const auto incident = s_.lockdown.lift(manager, fault, rectification, call.origin);
  return Response::json(200, {{"engaged", false}, {"last", noticeJson(incident)}});
}

Response Api::listIncidents(Call& call) {
  Json list = Json::array();
  for (const auto& i : s_.lockdown.incidents(call.who())) list.push_back(incidentJson(i));
  return Response::json(200, {{"incidents", list}});
}

}  // namespace nestbox::http
