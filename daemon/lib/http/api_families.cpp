// Families linked safely (issue 16): invitations bound to one child, redeemed by a new family
// or claimed by an existing account and confirmed by a manager; and the managers' home as a
// to-do list.

#include "http/api.hpp"
#include "http/backup_json.hpp"
#include "http/json_out.hpp"
#include "system/clock.hpp"

namespace nestbox::http {
namespace {

using system::formatTimestamp;

Json optionalTime(const std::optional<int64_t>& t) { return t ? Json(formatTimestamp(*t)) : Json(nullptr); }

Json invitationJson(const domain::Invitation& i, domain::AccountService& accounts) {
  const auto& r = i.record;
  Json account = nullptr;
  if (r.accountId) account = {{"id", *r.accountId}, {"display_name", accounts.displayName(*r.accountId)}};
  return {{"id", r.id}, {"child_id", r.childId}, {"state", i.state}, {"created_at", formatTimestamp(r.createdAt)},
          {"expires_at", formatTimestamp(r.expiresAt)}, {"used_at", optionalTime(r.usedAt)}, {"account", account}};
}

Json childBrief(const storage::ChildRecord& c) {
  return {{"id", c.id}, {"first_name", c.firstName}, {"last_name", c.lastName}};
}

}  // namespace

std::vector<Api::RouteDef> Api::familyRoutes() {
  using enum Audience;
  using enum domain::OutsideReach;
  return {
      {"POST", "/api/v1/children/:id/invitations", {.audience = manager}, &Api::inviteFamily},
      {"GET", "/api/v1/children/:id/invitations", {.audience = manager}, &Api::listInvitations},
      {"DELETE", "/api/v1/invitations/:id", {.audience = manager}, &Api::cancelInvitation},
      {"GET", "/api/v1/invitations/waiting", {.audience = manager}, &Api::waitingInvitations},
      {"POST", "/api/v1/invitations/:id/confirm", {.audience = manager}, &Api::confirmInvitation},
      {"POST", "/api/v1/invitations/redeem", {.audience = open, .outside = families}, &Api::redeemInvitation},
      {"POST", "/api/v1/invitations/claim", {.audience = parent, .outside = families}, &Api::claimInvitation},
      {"GET", "/api/v1/manager/summary", {.audience = manager, .outside = managersRead}, &Api::managerSummary},
  };
}

Response Api::inviteFamily(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  in.finish();
  const auto made = s_.invitations.create(call.who(), call.params.at("id"));
  Json out = invitationJson(made.invitation, s_.accounts);
  out["code"] = made.code;  // shown once: only its hash is kept
  return Response::json(201, {{"invitation", out}});
}

Response Api::listInvitations(Call& call) {
  Json list = Json::array();
  for (const auto& i : s_.invitations.ofChild(call.who(), call.params.at("id"))) list.push_back(invitationJson(i, s_.accounts));
  return Response::json(200, {{"invitations", list}});
}

Response Api::cancelInvitation(Call& call) {
  s_.invitations.cancel(call.who(), call.params.at("id"));
  return Response::json(200, {{"message", "The invitation is cancelled; its code no longer works."}});
}

Response Api::waitingInvitations(Call& call) {
  Json list = Json::array();
  for (const auto& w : s_.invitations.waiting(call.who())) {
    Json children = Json::array();
    for (const auto& c : w.accountChildren) children.push_back(childBrief(c));
    Json child = childBrief(w.child);
    child["room_name"] = w.roomName;
    list.push_back({{"id", w.invitation.record.id},
                    {"claimed_at", optionalTime(w.invitation.record.claimedAt)},
                    {"child", child},
                    {"account", {{"id", w.account.id}, {"username", w.account.username},
                                 {"display_name", w.account.displayName}, {"children", children}}}});
  }
  return Response::json(200, {{"invitations", list}});
}

Response Api::confirmInvitation(Call& call) {
  s_.invitations.confirm(call.who(), call.params.at("id"));
  return Response::json(200, {{"message", "Confirmed: that account now sees this child's released journal."}});
}

Response Api::redeemInvitation(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto code = in.requiredString("code", 1, 64);
  domain::Joiner joiner;
  joiner.username = in.requiredName("username", 1, 64);
  joiner.displayName = in.requiredName("display_name", 1, 100);
  joiner.email = in.optionalString("email", 0, 254);
  joiner.password = in.requiredSecret("password", 1, 128);
  in.finish();
  const auto child = s_.invitations.redeem(code, joiner, call.origin);
  return Response::json(201, {{"message", "Your account is ready. Sign in with your username and password to see " +
                                              child + "'s journal."},
                              {"child_first_name", child}});
}

Response Api::claimInvitation(Call& call) {
  const Json body = readBody(call.request);
  JsonReader in(body);
  const auto code = in.requiredString("code", 1, 64);
  in.finish();
  const auto child = s_.invitations.claim(call.who(), code);
  return Response::json(202, {{"message", "Thank you. The setting will confirm that this account is " + child +
                                              "'s family; " + child + "'s journal appears here once they have."},
                              {"child_first_name", child}});
}


namespace {
// The Backups screen's state in brief: "not_set_up" until a target and key are in place.
Json homeBackupsJson(const domain::BackupOverview& o, bool configured) {
  Json out = backupOverviewJson(o);
  out["configured"] = configured;
  if (!configured && !o.last) out["state"] = "not_set_up";
  return out;
}
}  // namespace

namespace {
Json remoteAccessJson(const domain::RemoteAccessView& v) {
  return {{"mode", v.mode},
          {"public_name", v.mode == "off" ? Json(nullptr) : Json(v.publicName)},
          {"certificate_expires_at", v.certificateExpiresAt ? Json(formatTimestamp(*v.certificateExpiresAt)) : Json(nullptr)},
          {"renewal", v.renewal},
          {"last_error", v.lastError.empty() ? Json(nullptr) : Json(v.lastError)},
          {"alert", v.alert}};
}
}  // namespace

Response Api::managerSummary(Call& call) {
  const auto s = s_.home.summary(call.who());
  const auto& c = s.counts;
  Json notObserved = Json::array();
  for (const auto& n : c.notObserved) {
    notObserved.push_back({{"key_person_id", optionalJson(n.keyPersonId)},
                           {"key_person_name", n.keyPersonId ? Json(n.keyPersonName) : Json(nullptr)},
                           {"children", n.children}});
  }
  Json release = nullptr;
  if (c.nextRelease) {
    release = {{"room_id", c.nextRelease->roomId}, {"room_name", c.nextRelease->roomName},
               {"at", formatTimestamp(c.nextRelease->at)}};
  }
  const auto [erasureReviews, erasureRequests] = s_.erasure.counts();
  Json outside = Json::array();
  for (const auto& [day, count] : s.outsideSignIns) outside.push_back({{"date", day}, {"count", count}});
  return Response::json(200, {{"summary", {{"entries_awaiting_review", c.entriesAwaitingReview},
                                           {"erasure_reviews", erasureReviews},
                                           {"erasure_requests", erasureRequests},
                                           {"photos_to_mark_again", s_.media.countToMarkAgain()},
                                           {"contributions_waiting", c.contributionsWaiting},
                                           {"links_waiting", s.linksWaiting},
                                           {"children_without_consent", c.childrenWithoutConsent},
                                           {"children_without_parent", c.childrenWithoutParent},
                                           {"invitations_open", s.invitationsOpen},
                                           {"account_codes_unused", c.accountCodesUnused},
                                           {"account_codes_expired", c.accountCodesExpired},
                                           {"staff_without_pin", c.staffWithoutPin},
                                           {"tablets_not_seen", c.tabletsNotSeen},
                                           {"not_observed", notObserved},
                                           {"next_release", release},
                                           {"lockdown", s.lockdown},
                                           {"outside_sign_ins", outside},
                                           {"remote_access", remoteAccessJson(s.remote)},
                                           {"storage", {{"state", s.storage.state},
                                                        {"free_bytes", s.storage.freeBytes},
                                                        {"reserve_bytes", s.storage.reserveBytes}}},
                                           {"backups", homeBackupsJson(s.backups, s_.backups.configured())}}}});
}

}  // namespace nestbox::http
