// Around an entry (issue 22): a family's hearts and visits, the children a member of staff
// tagged lately, and the entry templates managers keep.

#include "http/api.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using system::formatTimestamp;

Json templateJson(const storage::TemplateRecord& t) {
  return {{"id", t.id}, {"name", t.name}, {"kind", t.kind}, {"title", t.title}, {"body", t.body},
          {"next_steps", t.nextSteps}, {"aspect_ids", t.aspectIds}, {"updated_at", formatTimestamp(t.updatedAt)}};
}

domain::TemplateInput readTemplate(JsonReader& in, bool fresh) {
  domain::TemplateInput t;
  t.name = fresh ? std::optional(in.requiredName("name", 1, 80)) : in.optionalName("name", 1, 80);
  t.kind = in.optionalString("kind", 1, 16);
  t.title = in.optionalString("title", 0, 200);
  t.body = in.optionalParagraphs("body", 0, 20000);
  t.nextSteps = in.optionalString("next_steps", 0, 5000);
  t.aspectIds = in.optionalStringList("aspect_ids", 100, 64);
  in.finish();
  return t;
}

}  // namespace

std::vector<Api::RouteDef> Api::engagementRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      {"PUT", "/api/v1/entries/:id/threads/:child/heart", {.audience = parent, .outside = families}, &Api::putHeart},
      {"DELETE", "/api/v1/entries/:id/threads/:child/heart", {.audience = parent, .outside = families}, &Api::deleteHeart},
      {"GET", "/api/v1/entries/:id/hearts", {.audience = staff, .outside = managersRead}, &Api::entryHearts},
      {"POST", "/api/v1/feed/visit", {.audience = parent, .outside = families}, &Api::feedVisit},
      {"GET", "/api/v1/feed/months", {.audience = parent, .outside = families}, &Api::feedMonths},
      {"GET", "/api/v1/me/recent-children", {.audience = staff}, &Api::recentChildren},
      {"GET", "/api/v1/templates", {.audience = staff}, &Api::listTemplates},
      {"POST", "/api/v1/templates", {.audience = manager}, &Api::createTemplate},
      {"PATCH", "/api/v1/templates/:id", {.audience = manager}, &Api::updateTemplate},
      {"DELETE", "/api/v1/templates/:id", {.audience = manager}, &Api::deleteTemplate},
  };
}

Response Api::putHeart(Call& call) {
  s_.engagement.heart(call.who(), call.params.at("id"), call.params.at("child"), true);
  return Response::json(200, {{"hearted", true}});
}

Response Api::deleteHeart(Call& call) {
  s_.engagement.heart(call.who(), call.params.at("id"), call.params.at("child"), false);
  return Response::json(200, {{"hearted", false}});
}

Response Api::entryHearts(Call& call) {
  Json list = Json::array();
  for (const auto& h : s_.engagement.hearts(call.who(), call.params.at("id"))) {
    list.push_back({{"child_id", h.childId}, {"child_name", h.childName}, {"parent_name", h.parentName},
                    {"at", formatTimestamp(h.at)}});
  }
  return Response::json(200, {{"hearts", list}});
}

Response Api::feedVisit(Call& call) {
  const Json body = readBody(call.request);
  JsonReader(body).finish();
  const auto previous = s_.engagement.visit(call.who());
  return Response::json(200, {{"previous_visit_at", previous ? Json(formatTimestamp(*previous)) : Json(nullptr)}});
}

// The months with something shared, for the family feed's month filter (issue 32).
Response Api::feedMonths(Call& call) {
  return Response::json(200, {{"months", s_.journal.feedMonths(call.who(), call.request.queryValue("child"))}});
}

Response Api::recentChildren(Call& call) {
  return Response::json(200, {{"child_ids", s_.engagement.recentChildren(call.who())}});
}

Response Api::listTemplates(Call& call) {
  Json list = Json::array();
  for (const auto& t : s_.templates.list(call.who())) list.push_back(templateJson(t));
  return Response::json(200, {{"templates", list}});
}

Response Api::createTemplate(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto input = readTemplate(in, true);
  return Response::json(201, {{"template", templateJson(s_.templates.create(call.who(), input))}});
}

Response Api::updateTemplate(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto input = readTemplate(in, false);
  return Response::json(200, {{"template", templateJson(s_.templates.update(call.who(), call.params.at("id"), input))}});
}

Response Api::deleteTemplate(Call& call) {
  s_.templates.remove(call.who(), call.params.at("id"));
  return Response{204, {}, {}};
}

}  // namespace nestbox::http
