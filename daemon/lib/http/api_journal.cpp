// The journal part of the API: rooms, children, consent, agreement, curriculum, entries,
// the family feed, comment threads and parent contributions. Authorisation lives in the
// domain services; this file maps JSON to their inputs and their records to JSON.

#include "domain/curriculum.hpp"
#include "http/api.hpp"
#include "http/child_json.hpp"
#include "http/json_out.hpp"
#include "http/media_json.hpp"
#include "http/query_params.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using domain::Role;
using system::formatTimestamp;

Json roomJson(const storage::RoomRecord& r) {
  return {{"id", r.id}, {"name", r.name}, {"release_mode", r.releaseMode}};
}

// Staff-only fields come from how the domain shaped the view (v.full), never from the role here.
Json entryJson(const domain::EntryView& v) {
  const bool staff = v.full;
  const auto& e = v.entry;
  // Who receives it (each has a comment thread): for a family, only their own children.
  Json recipients = Json::array();
  for (const auto& a : e.audience) recipients.push_back(a.childId);
  Json media = Json::array();
  for (const auto& m : e.media) {
    Json item = entryMediaJson(m, staff);
    if (const auto a = v.mediaAudiences.find(m.id); a != v.mediaAudiences.end()) item["audience"] = audienceJson(a->second);
    media.push_back(std::move(item));
  }
  Json out = {{"id", e.id}, {"kind", e.kind}, {"status", e.status}, {"room_id", optionalJson(e.roomId)},
              {"title", e.title}, {"body", e.body}, {"next_steps", e.nextSteps}, {"observed_on", e.observedOn},
              {"author_name", v.authorName}, {"child_ids", e.childIds}, {"aspect_ids", e.aspectIds},
              {"recipient_child_ids", recipients},
              {"media", media},
              {"created_at", formatTimestamp(e.createdAt)},
              {"journal_at", e.journalAt ? Json(formatTimestamp(*e.journalAt)) : Json(nullptr)}};
  if (e.kind == "home") out["returned_reason"] = e.returnedReason;
  if (v.commentCount) {
    out["comment_count"] = *v.commentCount;
    out["hearted_child_ids"] = v.heartedChildIds;
  }
  if (staff) {
    out["author_id"] = e.authorId;
    out["version"] = e.version;
    out["updated_at"] = formatTimestamp(e.updatedAt);
    out["reviewed_at"] = e.reviewedAt ? Json(formatTimestamp(*e.reviewedAt)) : Json(nullptr);
    out["review_note"] = e.reviewNote;
    // Issue 32: children named in the words whom a receiving family may not see (never blocks).
    Json warnings = Json::array();
    for (const auto& w : v.namingWarnings) {
      warnings.push_back({{"code", "names_hidden_child"}, {"child_id", w.childId}, {"name", w.name},
                          {"hidden_from", w.hiddenFrom}, {"message", w.message}});
    }
    out["warnings"] = warnings;
  }
  return out;
}

Json commentJson(const storage::CommentRecord& c, const std::string& authorName, bool staff) {
  Json out = {{"id", c.id}, {"author_name", authorName}, {"body", c.body}, {"created_at", formatTimestamp(c.createdAt)}};
  if (staff) {
    out["hidden"] = c.hiddenAt.has_value();
    out["hidden_reason"] = c.hiddenReason;
  }
  return out;
}

// "media": [{"id": "...", "child_ids": ["..."]}] — what to attach and who is in each item.
std::optional<std::vector<domain::MediaAttachment>> readAttachments(JsonReader& in) {
  const auto items = in.optionalObjectList("media", 50);
  if (!items) return std::nullopt;
  std::vector<domain::MediaAttachment> out;
  for (const auto& item : *items) {
    JsonReader one(item);
    domain::MediaAttachment a;
    a.mediaId = one.requiredString("id", 32, 32);
    a.childIds = one.optionalStringList("child_ids", 100, 64).value_or(std::vector<std::string>{});
    one.finish();
    out.push_back(std::move(a));
  }
  return out;
}

// Cursors are "<unix time>.<id>" of the last item of a page.
std::optional<storage::EntryCursor> parseCursor(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  const auto dot = text->find('.');
  if (dot == std::string::npos || dot == 0 || dot > 12 || text->size() - dot - 1 != 32 ||
      text->substr(0, dot).find_first_not_of("0123456789") != std::string::npos ||
      text->substr(dot + 1).find_first_not_of("0123456789abcdef") != std::string::npos) {
    throw InputError("cursor", "'cursor' must be the next_cursor value of an earlier page.");
  }
  return storage::EntryCursor{std::stoll(text->substr(0, dot)), text->substr(dot + 1)};
}

std::optional<std::string> dateParam(const Request& r, const std::string& name) {
  auto v = r.queryValue(name);
  if (v && !domain::isDate(*v)) throw InputError(name, "'" + name + "' must be a date like 2026-11-22.");
  return v;
}

// A month, "2026-11".
std::optional<std::string> monthParam(const Request& r, const std::string& name) {
  auto v = r.queryValue(name);
  if (v && (v->size() != 7 || !domain::isDate(*v + "-01"))) {
    throw InputError(name, "'" + name + "' must be a month like 2026-11.");
  }
  return v;
}

}  // namespace

std::vector<Api::RouteDef> Api::journalRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      {"GET", "/api/v1/rooms", {.audience = staff, .outside = managersRead}, &Api::listRooms},
      {"POST", "/api/v1/rooms", {.audience = manager}, &Api::createRoom},
      {"PATCH", "/api/v1/rooms/:id", {.audience = manager}, &Api::updateRoom},
      {"GET", "/api/v1/rooms/:id/releases", {.audience = staff}, &Api::listReleases},
      {"POST", "/api/v1/rooms/:id/releases", {.audience = manager}, &Api::scheduleRelease},
      {"DELETE", "/api/v1/rooms/:id/releases/:at", {.audience = manager}, &Api::unscheduleRelease},
      {"POST", "/api/v1/rooms/:id/release-now", {.audience = manager}, &Api::releaseNow},
      {"GET", "/api/v1/children", {.audience = signedIn, .outside = managersRead}, &Api::listChildren},
      {"POST", "/api/v1/children", {.audience = manager}, &Api::createChild},
      {"GET", "/api/v1/children/:id", {.audience = signedIn, .outside = managersRead}, &Api::getChild},
      {"PATCH", "/api/v1/children/:id", {.audience = manager}, &Api::updateChild},
      {"GET", "/api/v1/children/:id/carers", {.audience = manager}, &Api::listCarers},
      {"PUT", "/api/v1/children/:id/carers/:parent", {.audience = manager}, &Api::linkCarer},
      {"DELETE", "/api/v1/children/:id/carers/:parent", {.audience = manager}, &Api::unlinkCarer},
      {"GET", "/api/v1/children/:id/consent", {.audience = signedIn, .outside = families}, &Api::getConsent},
      {"PUT", "/api/v1/children/:id/consent", {.audience = manager}, &Api::recordConsent},
      {"GET", "/api/v1/children/:id/consent/history", {.audience = manager}, &Api::consentHistory},
      {"GET", "/api/v1/agreement", {.audience = signedIn, .outside = families}, &Api::getAgreement},
      {"PUT", "/api/v1/agreement", {.audience = manager}, &Api::changeAgreement},
      {"POST", "/api/v1/agreement/accept", {.audience = parent, .outside = families}, &Api::acceptAgreement},
      {"GET", "/api/v1/curriculum", {.audience = signedIn, .outside = managersRead}, &Api::getCurriculum},
      {"GET", "/api/v1/entries", {.audience = staff, .outside = managersRead}, &Api::listEntries},
      {"POST", "/api/v1/entries", {.audience = staff}, &Api::createEntry},
      {"GET", "/api/v1/entries/:id", {.audience = signedIn, .outside = managersRead}, &Api::getEntry},
      {"PATCH", "/api/v1/entries/:id", {.audience = staff}, &Api::amendEntry},
      {"DELETE", "/api/v1/entries/:id", {.audience = staff}, &Api::discardDraft},
      {"GET", "/api/v1/entries/:id/versions", {.audience = staff}, &Api::entryVersions},
      {"POST", "/api/v1/entries/:id/review", {.audience = manager}, &Api::reviewEntry},
      {"GET", "/api/v1/feed", {.audience = parent, .outside = families}, &Api::familyFeed},
      {"GET", "/api/v1/entries/:id/threads/:child", {.audience = signedIn, .outside = managersRead}, &Api::listThread},
      {"POST", "/api/v1/entries/:id/threads/:child", {.audience = signedIn, .outside = families}, &Api::addComment},
      {"POST", "/api/v1/comments/:id/hide", {.audience = staff}, &Api::hideComment},
      {"GET", "/api/v1/contributions", {.audience = signedIn, .outside = managersRead}, &Api::listContributions},
      {"POST", "/api/v1/contributions", {.audience = parent, .outside = families}, &Api::contribute},
      {"POST", "/api/v1/contributions/:id/approve", {.audience = staff}, &Api::approveContribution},
      {"POST", "/api/v1/contributions/:id/return", {.audience = staff}, &Api::returnContribution},
  };
}

Response Api::listRooms(Call& call) {
  Json list = Json::array();
  for (const auto& r : s_.children.rooms(call.who())) list.push_back(roomJson(r));
  return Response::json(200, {{"rooms", list}});
}

Response Api::createRoom(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto name = in.requiredName("name", 1, 100);
  const auto mode = in.optionalString("release_mode", 1, 16).value_or("live");
  in.finish();
  return Response::json(201, {{"room", roomJson(s_.children.createRoom(call.who(), name, mode))}});
}

Response Api::updateRoom(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto name = in.optionalName("name", 1, 100);
  const auto mode = in.optionalString("release_mode", 1, 16);
  in.finish();
  return Response::json(200, {{"room", roomJson(s_.children.updateRoom(call.who(), call.params.at("id"), name, mode))}});
}

Response Api::listReleases(Call& call) {
  Json list = Json::array();
  for (const auto& p : s_.children.releases(call.who(), call.params.at("id"))) {
    list.push_back({{"at", formatTimestamp(p.at)}, {"at_unix", p.at}, {"kind", p.kind}});
  }
  return Response::json(200, {{"releases", list}});
}

Response Api::scheduleRelease(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  // A date alone is the start of that day in the setting's time zone.
  const auto text = in.requiredString("at", 1, 32);
  const auto at = domain::isDate(text) ? s_.settings.calendar().startOfDay(text) : parseTimeParam(text, "at");
  in.finish();
  s_.children.scheduleRelease(call.who(), call.params.at("id"), at);
  return Response::json(201, {{"at", formatTimestamp(at)}});
}

Response Api::unscheduleRelease(Call& call) {
  const auto& at = call.params.at("at");
  if (at.empty() || at.size() > 12 || at.find_first_not_of("0123456789") != std::string::npos) {
    throw InputError("at", "Give the release time as at_unix from the list of releases.");
  }
  s_.children.unscheduleRelease(call.who(), call.params.at("id"), std::stoll(at));
  return Response::json(200, {{"message", "The release date is removed."}});
}

Response Api::releaseNow(Call& call) {
  s_.children.releaseNow(call.who(), call.params.at("id"));
  return Response::json(200, {{"message", "Everything in this room's journal is now visible to its families."}});
}

Response Api::listChildren(Call& call) {
  storage::ChildQuery q;
  q.roomId = call.request.queryValue("room");
  q.keyPersonId = call.request.queryValue("key_person");
  // key_person=none: children without a key person (the managers' to-do, issue 32).
  if (q.keyPersonId == "none") { q.keyPersonId.reset(); q.noKeyPerson = true; }
  if (call.request.queryValue("mine") == "true") q.keyPersonId = call.who().userId;
  q.includeLeft = call.request.queryValue("include_left") == "true";
  // needs: only the children a to-do item counts (managers only, refused in the domain).
  if (const auto needs = call.request.queryValue("needs")) {
    using Needs = storage::ChildQuery::Needs;
    if (*needs == "consent") q.needs = Needs::consent;
    else if (*needs == "parent") q.needs = Needs::parent;
    else if (*needs == "observation") q.needs = Needs::observation;
    else throw InputError("needs", "'needs' must be consent, parent or observation.");
    if (q.includeLeft) throw InputError("include_left", "'needs' lists the children at the setting now: leave out 'include_left'.");
  }
  const bool staff = call.who().role != Role::parent;
  const auto children = s_.children.children(call.who(), q);
  // Staff see each child's consent beside the name (the recording picker), read at once.
  const auto consents = staff ? s_.children.consents(call.who(), children)
                              : std::map<std::string, storage::ConsentRecord>{};
  Json list = Json::array();
  for (const auto& c : children) {
    Json child = childJson(c, staff, s_.children.leaving(c));
    if (const auto k = consents.find(c.id); k != consents.end()) {
      child["consent"] = {{"recorded", k->second.recordedAt != 0}, {"own_journal_photos", k->second.ownJournalPhotos},
                          {"other_journals", k->second.otherJournals}};
    }
    list.push_back(std::move(child));
  }
  return Response::json(200, {{"children", list}});
}

Response Api::createChild(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::NewChild n;
  n.firstName = in.requiredName("first_name", 1, 100);
  n.lastName = in.requiredName("last_name", 1, 100);
  n.dateOfBirth = in.requiredString("date_of_birth", 1, 10);
  n.roomId = in.requiredString("room_id", 1, 64);
  n.startedOn = in.requiredString("started_on", 1, 10);
  n.keyPersonId = in.optionalString("key_person_id", 0, 64);
  n.leftOn = in.optionalString("left_on", 0, 10);
  in.finish();
  const auto created = s_.children.createChild(call.who(), n);
  return Response::json(201, {{"child", childJson(created, true, s_.children.leaving(created))}});
}

Response Api::getChild(Call& call) {
  const bool staff = call.who().role != Role::parent;
  const auto child = s_.children.child(call.who(), call.params.at("id"));
  return Response::json(200, {{"child", childJson(child, staff, s_.children.leaving(child))}});
}

Response Api::updateChild(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::ChildChange c;
  c.firstName = in.optionalName("first_name", 1, 100);
  c.lastName = in.optionalName("last_name", 1, 100);
  c.dateOfBirth = in.optionalString("date_of_birth", 1, 10);
  c.roomId = in.optionalString("room_id", 1, 64);
  c.startedOn = in.optionalString("started_on", 1, 10);
  c.keyPersonId = in.optionalString("key_person_id", 0, 64);
  c.leftOn = in.optionalString("left_on", 0, 10);
  in.finish();
  const auto updated = s_.children.updateChild(call.who(), call.params.at("id"), c);
  return Response::json(200, {{"child", childJson(updated, true, s_.children.leaving(updated))}});
}

Response Api::listCarers(Call& call) {
  Json list = Json::array();
  for (const auto& u : s_.children.carers(call.who(), call.params.at("id"))) {
    list.push_back({{"id", u.id}, {"display_name", u.displayName}, {"username", u.username}, {"active", u.active}});
  }
  return Response::json(200, {{"carers", list}});
}

Response Api::linkCarer(Call& call) {
  s_.children.linkCarer(call.who(), call.params.at("id"), call.params.at("parent"));
  return Response::json(200, {{"message", "The parent account is attached to the child."}});
}

Response Api::unlinkCarer(Call& call) {
  s_.children.unlinkCarer(call.who(), call.params.at("id"), call.params.at("parent"));
  return Response::json(200, {{"message", "The parent account is detached from the child."}});
}

Response Api::getConsent(Call& call) {
  Json consent = consentJson(s_.children.consent(call.who(), call.params.at("id")));
  if (!domain::AccessPolicy::isStaff(call.who())) {  // a family: what was recorded, not the staff's note or who
    consent.erase("note");
    consent.erase("recorded_by");
  }
  return Response::json(200, {{"consent", consent}});
}

Response Api::recordConsent(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::ConsentChange c;
  const auto own = in.optionalBool("own_journal_photos");
  const auto other = in.optionalBool("other_journals");
  const auto optOut = in.optionalBool("online_journal_opt_out");
  if (!own || !other || !optOut) {
    throw InputError(!own ? "own_journal_photos" : !other ? "other_journals" : "online_journal_opt_out",
                     "Record all three answers of the consent form (true or false).");
  }
  c.ownJournalPhotos = *own;
  c.otherJournals = *other;
  c.onlineJournalOptOut = *optOut;
  c.note = in.optionalString("note", 0, 1000).value_or("");
  in.finish();
  return Response::json(200, {{"consent", consentJson(s_.children.recordConsent(call.who(), call.params.at("id"), c))}});
}

Response Api::consentHistory(Call& call) {
  Json list = Json::array();
  for (const auto& c : s_.children.consentHistory(call.who(), call.params.at("id"))) list.push_back(consentJson(c));
  return Response::json(200, {{"history", list}});
}

Response Api::getAgreement(Call& call) {
  const auto a = s_.children.agreement(call.who());
  return Response::json(200, {{"version", a.version}, {"text", a.text}, {"accepted", a.accepted}});
}

Response Api::changeAgreement(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto text = in.requiredString("text", 1, 20000);
  in.finish();
  const auto a = s_.children.changeAgreement(call.who(), text);
  return Response::json(200, {{"version", a.version}, {"text", a.text}});
}

Response Api::acceptAgreement(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto version = in.optionalInt("version", 1, 1000000);
  if (!version) throw InputError("version", "'version' is required: the version you read.");
  in.finish();
  s_.children.acceptAgreement(call.who(), static_cast<int>(*version));
  return Response::json(200, {{"message", "Thank you. You can now see your child's journal."}});
}

Response Api::getCurriculum(Call&) {
  const auto setting = s_.settings.current();
  return Response::json(200, {{"framework", domain::framework(setting ? setting->framework : "eyfs").data}});
}

Response Api::listEntries(Call& call) {
  const auto& r = call.request;
  storage::EntryQuery q;
  q.childId = r.queryValue("child");
  q.roomId = r.queryValue("room");
  q.aspectId = r.queryValue("area");
  q.authorId = r.queryValue("author");
  q.status = r.queryValue("status");
  q.kind = r.queryValue("kind");
  q.observedFrom = dateParam(r, "from");
  q.observedTo = dateParam(r, "to");
  q.awaitingReview = r.queryValue("review") == "pending";
  q.before = parseCursor(r.queryValue("cursor"));
  q.limit = parseLimitParam(r.queryValue("limit"), 20, 100);
  const auto views = s_.journal.list(call.who(), q);
  Json list = Json::array();
  for (const auto& v : views) list.push_back(entryJson(v));
  const bool more = static_cast<int>(views.size()) == q.limit;
  return Response::json(200, {{"entries", list},
                              {"next_cursor", more ? Json(std::to_string(views.back().entry.createdAt) + "." +
                                                          views.back().entry.id)
                                                   : Json(nullptr)}});
}

Response Api::discardDraft(Call& call) {
  const auto hashes = s_.journal.discardDraft(call.who(), call.params.at("id"));
  s_.media.removeUnreferenced(hashes);  // the rows are gone and committed: now their files
  return Response{204, {}, {}};
}

Response Api::createEntry(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::EntryInput e;
  e.kind = in.requiredString("kind", 1, 16);
  e.status = in.optionalString("status", 1, 16).value_or("journal");
  e.roomId = in.optionalString("room_id", 1, 64);
  e.title = in.requiredString("title", 0, 200);  // a draft may have none yet (the service checks)
  e.body = in.optionalParagraphs("body", 0, 20000).value_or("");
  e.nextSteps = in.optionalParagraphs("next_steps", 0, 5000).value_or("");
  e.observedOn = in.requiredString("observed_on", 1, 10);
  e.childIds = in.optionalStringList("child_ids", 200, 64).value_or(std::vector<std::string>{});
  e.aspectIds = in.optionalStringList("aspect_ids", 50, 64).value_or(std::vector<std::string>{});
  e.media = readAttachments(in).value_or(std::vector<domain::MediaAttachment>{});
  in.finish();
  const auto view = s_.journal.create(call.who(), e);
  return Response::json(201, {{"entry", entryJson(view)}});
}

Response Api::getEntry(Call& call) {
  Json entry = entryJson(s_.journal.get(call.who(), call.params.at("id")));
  // A family's own hearts on it (issue 22), as on their feed card; only after the access check above.
  if (call.who().role == Role::parent) entry["hearted_child_ids"] = s_.engagement.heartedBy(call.who(), entry["id"]);
  return Response::json(200, {{"entry", entry}});
}

Response Api::amendEntry(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::EntryChange c;
  c.status = in.optionalString("status", 1, 16);
  c.title = in.optionalString("title", 0, 200);
  c.body = in.optionalParagraphs("body", 0, 20000);
  c.nextSteps = in.optionalParagraphs("next_steps", 0, 5000);
  c.observedOn = in.optionalString("observed_on", 1, 10);
  c.roomId = in.optionalString("room_id", 0, 64);
  c.childIds = in.optionalStringList("child_ids", 200, 64);
  c.aspectIds = in.optionalStringList("aspect_ids", 50, 64);
  c.media = readAttachments(in);
  in.finish();
  return Response::json(200, {{"entry", entryJson(s_.journal.amend(call.who(), call.params.at("id"), c))}});
}

Response Api::entryVersions(Call& call) {
  Json list = Json::array();
  for (const auto& v : s_.journal.versions(call.who(), call.params.at("id"))) {
    list.push_back({{"version", v.version}, {"edited_by", v.editedBy}, {"edited_at", formatTimestamp(v.editedAt)},
                    {"entry", Json::parse(v.snapshot, nullptr, false)}});
  }
  return Response::json(200, {{"versions", list}});
}

Response Api::reviewEntry(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto action = in.requiredString("action", 1, 16);
  const auto note = in.optionalString("note", 0, 2000).value_or("");
  in.finish();
  if (action != "reviewed" && action != "returned") throw InputError("action", "'action' must be reviewed or returned.");
  const auto view = s_.journal.review(call.who(), call.params.at("id"), action == "returned", note);
  return Response::json(200, {{"entry", entryJson(view)}});
}

Response Api::familyFeed(Call& call) {
  storage::ParentFeedQuery q;
  q.childId = call.request.queryValue("child");
  q.aspectId = call.request.queryValue("area");
  q.before = parseCursor(call.request.queryValue("cursor"));
  q.limit = parseLimitParam(call.request.queryValue("limit"), 20, 100);
  q.month = monthParam(call.request, "month");
  const auto page = s_.journal.feed(call.who(), q);
  const int limit = q.limit;
  Response response;
  response.body = page->rendered([limit](const domain::FeedPage& p) {
    Json list = Json::array();
    for (const auto& v : p.views) list.push_back(entryJson(v));
    const bool more = static_cast<int>(p.views.size()) == limit;
    return Json{{"entries", list},
                {"next_cursor", more ? Json(std::to_string(*p.views.back().entry.journalAt) + "." + p.views.back().entry.id)
                                     : Json(nullptr)}}
        .dump(-1, ' ', false, Json::error_handler_t::replace);
  });
  response.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return response;
}

// Child view: the child's journal on the tablet, shaped as the family sees it.
Response Api::childViewJournal(Call& call) {
  const auto& p = call.who();
  const int limit = parseLimitParam(call.request.queryValue("limit"), 20, 100);
  const auto views = s_.journal.childJournal(p, parseCursor(call.request.queryValue("cursor")), limit);
  Json list = Json::array();
  for (const auto& v : views) list.push_back(entryJson(v));
  const bool more = static_cast<int>(views.size()) == limit;
  const auto child = s_.children.child(p, *p.childViewOf);
  return Response::json(200, {{"child", {{"id", child.id}, {"first_name", child.firstName}}},
                              {"entries", list},
                              {"next_cursor", more ? Json(std::to_string(*views.back().entry.journalAt) + "." + views.back().entry.id)
                                                   : Json(nullptr)}});
}

Response Api::listThread(Call& call) {
  const bool staff = domain::AccessPolicy::isStaff(call.who());
  Json list = Json::array();
  for (const auto& c : s_.journal.thread(call.who(), call.params.at("id"), call.params.at("child"))) {
    const auto author = s_.accounts.displayName(c.authorId);
    list.push_back(commentJson(c, author, staff));
  }
  return Response::json(200, {{"comments", list}});
}

Response Api::addComment(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto text = in.requiredParagraphs("body", 1, 4000);
  in.finish();
  const auto c = s_.journal.addComment(call.who(), call.params.at("id"), call.params.at("child"), text);
  return Response::json(201, {{"comment", commentJson(c, call.who().displayName, domain::AccessPolicy::isStaff(call.who()))}});
}

Response Api::hideComment(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  // Empty text is let through here: the domain checks the role first, then the reason.
  const auto reason = in.requiredString("reason", 0, 500);
  in.finish();
  s_.journal.hideComment(call.who(), call.params.at("id"), reason);
  return Response::json(200, {{"message", "The comment is hidden from the family."}});
}

Response Api::listContributions(Call& call) {
  const auto status = call.request.queryValue("status");
  if (status && *status != "pending" && *status != "journal" && *status != "returned") {
    throw InputError("status", "'status' must be pending, journal or returned.");
  }
  Json list = Json::array();
  for (const auto& v : s_.journal.contributions(call.who(), status)) list.push_back(entryJson(v));
  return Response::json(200, {{"contributions", list}});
}

Response Api::contribute(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  domain::HomeObservation o;
  o.childId = in.requiredString("child_id", 1, 64);
  o.title = in.requiredString("title", 1, 200);
  o.body = in.optionalParagraphs("body", 0, 20000).value_or("");
  o.observedOn = in.requiredString("observed_on", 1, 10);
  o.mediaIds = in.optionalStringList("media_ids", 20, 32).value_or(std::vector<std::string>{});
  in.finish();
  return Response::json(201, {{"contribution", entryJson(s_.journal.contribute(call.who(), o))}});
}

Response Api::approveContribution(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto media = readAttachments(in);
  in.finish();
  return Response::json(200, {{"contribution", entryJson(s_.journal.approveContribution(call.who(), call.params.at("id"), media))}});
}

Response Api::returnContribution(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto reason = in.requiredString("reason", 0, 2000);  // role first, then content (domain)
  in.finish();
  return Response::json(200, {{"contribution", entryJson(s_.journal.returnContribution(call.who(), call.params.at("id"), reason))}});
}

}  // namespace nestbox::http
