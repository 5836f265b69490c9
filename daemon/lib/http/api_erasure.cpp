// Data has an end (issue 21): restoring a leaver, erasing a child, what a manager reviews
// afterwards, a family's erasure request and opt-out, and what the box keeps for how long.

#include "domain/retention.hpp"
#include "http/api.hpp"
#include "http/child_json.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using system::formatTimestamp;

Json requestJson(const storage::ErasureRequestRecord& r) {
  return {{"requested_at", formatTimestamp(r.requestedAt)}, {"note", r.note}};
}

}  // namespace

std::vector<Api::RouteDef> Api::erasureRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      {"POST", "/api/v1/children/:id/restore", {.audience = manager}, &Api::restoreChild},
      {"POST", "/api/v1/children/:id/erase", {.audience = manager}, &Api::eraseChild},
      {"GET", "/api/v1/erasure/reviews", {.audience = manager}, &Api::erasureReviews},
      {"POST", "/api/v1/erasure/reviews/entries/:id/done", {.audience = manager}, &Api::erasureReviewed},
      {"GET", "/api/v1/erasure/requests", {.audience = manager}, &Api::erasureRequests},
      {"GET", "/api/v1/children/:id/erasure-request", {.audience = parent, .outside = families}, &Api::getErasureRequest},
      {"POST", "/api/v1/children/:id/erasure-request", {.audience = parent, .freshPassword = true, .outside = families}, &Api::requestErasure},
      {"DELETE", "/api/v1/children/:id/erasure-request", {.audience = parent, .outside = families}, &Api::withdrawErasureRequest},
      {"POST", "/api/v1/children/:id/opt-out", {.audience = parent, .freshPassword = true, .outside = families}, &Api::optOutChild},
      {"GET", "/api/v1/retention", {.audience = manager}, &Api::retention},
  };
}

Response Api::restoreChild(Call& call) {
  const Json body = readBody(call.request);
  JsonReader(body).finish();
  const auto child = s_.erasure.restore(call.who(), call.params.at("id"));
  return Response::json(200, {{"child", childJson(child, true, s_.children.leaving(child))}});
}

Response Api::eraseChild(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::ErasureConfirmation c;
  c.password = in.requiredString("password", 1, 1024);
  c.pin = in.requiredString("pin", 1, 64);
  c.confirm = in.requiredString("confirm", 1, 250);
  in.finish();
  const auto r = s_.erasure.erase(call.who(), call.params.at("id"), c);
  return Response::json(200, {{"erasure",
                               {{"id", r.id},
                                {"entries_removed", r.counts.entriesRemoved},
                                {"media_removed", r.counts.mediaRemoved},
                                {"media_marked", r.counts.mediaMarked},
                                {"accounts_erased", r.counts.accountsErased},
                                {"exports_removed", r.counts.exportsRemoved},
                                {"reviews", r.reviews}}}});
}

Response Api::erasureReviews(Call& call) {
  const auto reviews = s_.erasure.reviews(call.who());
  Json entries = Json::array(), media = Json::array();
  for (const auto& e : reviews.entries) {
    entries.push_back({{"entry_id", e.entryId}, {"title", e.title}, {"observed_on", e.observedOn},
                       {"erased_at", formatTimestamp(e.erasedAt)}});
  }
  for (const auto& m : reviews.media) {
    media.push_back({{"media_id", m.mediaId},
                     {"entry_id", m.entryId ? Json(*m.entryId) : Json(nullptr)},
                     {"entry_title", m.entryTitle ? Json(*m.entryTitle) : Json(nullptr)}});
  }
  return Response::json(200, {{"entries", entries}, {"media", media}});
}

Response Api::erasureReviewed(Call& call) {
  const Json body = readBody(call.request);
  JsonReader(body).finish();
  s_.erasure.reviewed(call.who(), call.params.at("id"));
  return Response{204, {}, {}};
}

Response Api::erasureRequests(Call& call) {
  Json list = Json::array();
  for (const auto& v : s_.erasure.requests(call.who())) {
    list.push_back({{"id", v.record.id},
                    {"child_id", v.record.childId},
                    {"child_name", v.childName},
                    {"requested_by_name", v.requestedByName},
                    {"requested_at", formatTimestamp(v.record.requestedAt)},
                    {"note", v.record.note}});
  }
  return Response::json(200, {{"requests", list}});
}

Response Api::getErasureRequest(Call& call) {
  const auto r = s_.erasure.requestOf(call.who(), call.params.at("id"));
  return Response::json(200, {{"request", r ? requestJson(*r) : Json(nullptr)}});
}

Response Api::requestErasure(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto note = in.optionalString("note", 0, 500);
  in.finish();
  const auto r = s_.erasure.requestErasure(call.who(), call.params.at("id"), note.value_or(""));
  return Response::json(201, {{"request", requestJson(r)}});
}

Response Api::withdrawErasureRequest(Call& call) {
  s_.erasure.withdrawRequest(call.who(), call.params.at("id"));
  return Response{204, {}, {}};
}

Response Api::optOutChild(Call& call) {
  const Json body = readBody(call.request);
  JsonReader(body).finish();
  return Response::json(200, {{"consent", consentJson(s_.children.optOut(call.who(), call.params.at("id")))}});
}

Response Api::retention(Call& call) {
  s_.children.requireManager(call.who());
  const auto setting = s_.settings.current().value_or(storage::SettingRecord{});
  Json rules = Json::array();
  for (const auto& r : domain::retentionRules(setting)) {
    rules.push_back({{"id", r.id}, {"what", r.what}, {"kept", r.kept}, {"then", r.then}});
  }
  return Response::json(200, {{"rules", rules}});
}

}  // namespace nestbox::http
