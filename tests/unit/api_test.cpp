#include <catch2/catch.hpp>

#include "api_client.hpp"
#include "fixture.hpp"

using namespace nestbox;
using namespace nestbox::http;
using testing::kManagerPassword;
using testing::Client;
using testing::headerOf;

namespace {

std::string concrete(const std::string& pattern) {
  std::string out = pattern;
  const auto colon = out.find(":id");
  if (colon != std::string::npos) out.replace(colon, 3, "0123456789abcdef0123456789abcdef");
  return out;
}

}  // namespace

TEST_CASE("every route except setup (and restore from a backup), sign-in, code redemption, the CA, the box's address, tus discovery and device enrolment needs a session") {
  testing::Stack s;
  s.setUp();
  Client anonymous(s);
  const std::set<std::string> open = {"GET /api/v1/setup", "POST /api/v1/setup", "POST /api/v1/auth/sign-in",
                                      "POST /api/v1/auth/redeem-code", "GET /api/v1/ca.crt", "GET /api/v1/ca.sha256",
                                      // Where the box is, for the setup page (what mDNS tells anyway).
                                      "GET /api/v1/box",
                                      "OPTIONS /api/v1/uploads",  // tus: which versions and extensions
                                      // A tablet enrols with a manager's one-time code and then proves
                                      // itself by signing challenges: both before anyone signs in.
                                      "POST /api/v1/devices/enrol", "POST /api/v1/devices/:id/challenge",
                                      // The shared-tablet switch: the tablet's proof instead of a session.
                                      "POST /api/v1/devices/:id/people", "POST /api/v1/auth/pin",
                                      // Lockdown: the public notice, and a manager's password + PIN
                                      // instead of a session (every session ended when it engaged).
                                      "GET /api/v1/lockdown", "POST /api/v1/lockdown/updates", "POST /api/v1/lockdown/lift",
                                      // A family's invitation letter: the code instead of a session.
                                      "POST /api/v1/invitations/redeem",
                                      // Restore a box not yet set up from a backup: the setup code,
                                      // then the request's 128-bit id, instead of a session.
                                      "POST /api/v1/setup/restore/disks", "POST /api/v1/setup/restore/snapshots",
                                      "POST /api/v1/setup/restore", "GET /api/v1/setup/restore/requests/:id"};
  int checked = 0;
  for (const auto& route : s.api.routes()) {
    const std::string key = route.method + " " + route.pattern;
    CHECK(route.requiresSession() == !open.contains(key));
    if (!route.requiresSession()) continue;
    const auto r = anonymous.call(route.method, concrete(route.pattern), route.method == "GET" ? "" : "{}");
    INFO(key);
    CHECK(r.status == 401);
    CHECK(anonymous.json(r)["error"] == "session_required");
    ++checked;
  }
  CHECK(checked >= 15);
}

TEST_CASE("sign-in sets a __Host- cookie that is Secure, HttpOnly and SameSite=Strict") {
  testing::Stack s;
  s.setUp();
  Client c(s);
  const auto r = c.call("POST", "/api/v1/auth/sign-in", Json{{"username", "manager"}, {"password", kManagerPassword}}.dump());
  REQUIRE(r.status == 200);
  const auto cookie = *headerOf(r, "Set-Cookie");
  CHECK(cookie.rfind("__Host-nestbox=", 0) == 0);
  CHECK(cookie.find("; Path=/") != std::string::npos);
  CHECK(cookie.find("; Secure") != std::string::npos);
  CHECK(cookie.find("; HttpOnly") != std::string::npos);
  CHECK(cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("Domain") == std::string::npos);
  CHECK(headerOf(r, "Cache-Control") == "no-store");
}

TEST_CASE("state-changing requests need the session's CSRF token") {
  testing::Stack s;
  s.setUp();
  Client c(s);
  REQUIRE(c.signIn("manager", kManagerPassword).status == 200);
  const std::string body = Json{{"username", "new.person"}, {"display_name", "New"}, {"role", "staff"}}.dump();

  const std::string token = c.csrf;
  c.csrf = "";
  auto r = c.call("POST", "/api/v1/users", body);
  CHECK(r.status == 403);
  CHECK(c.json(r)["error"] == "csrf_failed");
  c.csrf = std::string(64, 'a');
  CHECK(c.call("POST", "/api/v1/users", body).status == 403);
  CHECK(s.store.users({}).size() == 1);
  CHECK(s.auditCount("NBX_CSRF_REJECTED") == 2);

  c.csrf = token;
  CHECK(c.call("POST", "/api/v1/users", body).status == 201);
  // Reads need no token.
  c.csrf = "";
  CHECK(c.call("GET", "/api/v1/users").status == 200);
}

TEST_CASE("cross-site requests change nothing, even sign-in") {
  testing::Stack s;
  s.setUp();
  Client c(s);
  const std::string body = Json{{"username", "manager"}, {"password", kManagerPassword}}.dump();
  auto r = c.call("POST", "/api/v1/auth/sign-in", body, {{"origin", "https://evil.example"}});
  CHECK(r.status == 403);
  CHECK(c.json(r)["error"] == "cross_site_request");
  r = c.call("POST", "/api/v1/auth/sign-in", body, {{"sec-fetch-site", "cross-site"}});
  CHECK(r.status == 403);
  r = c.call("POST", "/api/v1/auth/sign-in", body,
             {{"origin", "https://nestbox.local"}, {"sec-fetch-site", "same-origin"}});
  CHECK(r.status == 200);
}

TEST_CASE("bodies must be JSON objects with known, well-typed fields") {
  testing::Stack s;
  s.setUp();
  Client c(s);
  auto r = c.call("POST", "/api/v1/auth/sign-in", "username=a&password=b", {{"content-type", "application/x-www-form-urlencoded"}});
  CHECK(r.status == 415);
  r = c.call("POST", "/api/v1/auth/sign-in", "{\"username\":");
  CHECK(r.status == 400);
  CHECK(c.json(r)["message"] == "The request body is not valid JSON.");
  r = c.call("POST", "/api/v1/auth/sign-in", R"({"username":"a","password":"b","admin":true})");
  CHECK(r.status == 400);
  CHECK(c.json(r)["field"] == "admin");
  r = c.call("POST", "/api/v1/auth/sign-in", R"({"username":["a"],"password":"b"})");
  CHECK(r.status == 400);
  CHECK(c.json(r)["field"] == "username");
  CHECK(s.auditCount("NBX_AUTH_SIGNIN_FAILED") == 0);  // nothing reached the domain
}

TEST_CASE("unknown addresses and methods get JSON 404 and 405") {
  testing::Stack s;
  Client c(s);
  auto r = c.call("GET", "/api/v1/nothing-here");
  CHECK(r.status == 404);
  CHECK(c.json(r)["error"] == "not_found");
  r = c.call("DELETE", "/api/v1/setup");
  CHECK(r.status == 405);
  CHECK(headerOf(r, "Allow") == "GET, POST");
}

TEST_CASE("the client address comes from nginx's X-Real-IP only when the peer is loopback") {
  testing::Stack s;
  s.setUp();
  Request r;
  r.method = "POST";
  r.path = "/api/v1/auth/sign-in";
  r.headers = {{"content-type", "application/json"}, {"x-real-ip", "203.0.113.9"}};
  r.body = R"({"username":"manager","password":"wrong wrong"})";
  r.peerAddress = "127.0.0.1";
  s.api.handle(r);
  r.peerAddress = "192.0.2.50";  // not nginx: its X-Real-IP is a client's claim
  s.api.handle(r);
  storage::AuditQuery q;
  q.event = "NBX_AUTH_SIGNIN_FAILED";
  const auto entries = s.store.audit(q);
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].address == "203.0.113.9");
  CHECK(entries[0].address == "192.0.2.50");
}

TEST_CASE("staff and parents cannot reach manager functions") {
  testing::Stack s;
  const auto manager = s.setUp();
  s.addUser(manager, "staff1", domain::Role::staff, "kites over the hill");
  s.addUser(manager, "parent1", domain::Role::parent, "kites over the hill");
  for (const char* who : {"staff1", "parent1"}) {
    Client c(s);
    REQUIRE(c.signIn(who, "kites over the hill").status == 200);
    INFO(who);
    CHECK(c.call("GET", "/api/v1/users").status == 403);
    CHECK(c.call("GET", "/api/v1/audit").status == 403);
    CHECK(c.call("GET", "/api/v1/audit/events").status == 403);
    CHECK(c.call("POST", "/api/v1/users", R"({"username":"x.y","display_name":"X","role":"manager"})").status == 403);
    CHECK(c.call("PATCH", "/api/v1/settings", R"({"name":"Mine now"})").status == 403);
    CHECK(c.call("POST", "/api/v1/users/" + manager.userId + "/deactivate").status == 403);
    CHECK(c.call("POST", "/api/v1/users/" + manager.userId + "/reset-code").status == 403);
    const auto settings = c.json(c.call("GET", "/api/v1/settings"))["setting"];
    CHECK(settings.contains("name"));
    CHECK_FALSE(settings.contains("idle_minutes"));  // the rules are the managers' business
  }
  CHECK(s.settings.current()->name == "Rainbow Nursery");
}

TEST_CASE("the role is checked before the body: a malformed request from the wrong role is 403") {
  testing::Stack s;
  const auto manager = s.setUp();
  s.addUser(manager, "parent1", domain::Role::parent, "kites over the hill");
  Client c(s);
  REQUIRE(c.signIn("parent1", "kites over the hill").status == 200);
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/api/v1/rooms"}, {"POST", "/api/v1/users"}, {"PATCH", "/api/v1/settings"}, {"POST", "/api/v1/entries"}}) {
    INFO(method << " " << path);
    const auto r = c.call(method, path, "{\"unexpected\":");
    CHECK(r.status == 403);
  }
  Client m(s);
  REQUIRE(m.signIn("manager", kManagerPassword).status == 200);
  CHECK(m.call("POST", "/api/v1/rooms", "{\"unexpected\":").status == 400);
}

TEST_CASE("a user whose password must change can do only that") {
  testing::Stack s;
  const auto manager = s.setUp();
  domain::SettingsChange change;
  change.passwordMaxAgeDays = 30;
  s.settings.update(manager, change);
  s.clock.advance(31 * 86400);
  Client c(s);
  REQUIRE(c.signIn("manager", kManagerPassword).status == 200);
  CHECK(c.json(c.call("GET", "/api/v1/auth/session"))["must_change_password"] == true);
  auto r = c.call("GET", "/api/v1/users");
  CHECK(r.status == 403);
  CHECK(c.json(r)["error"] == "password_change_required");
  r = c.call("POST", "/api/v1/me/password",
             Json{{"current_password", kManagerPassword}, {"new_password", "Another fine password 5"}}.dump());
  CHECK(r.status == 200);
  CHECK(c.call("GET", "/api/v1/users").status == 200);
}

TEST_CASE("the audit log pages and filters for managers") {
  testing::Stack s;
  s.setUp();
  Client c(s);
  for (int i = 0; i < 3; ++i) c.signIn("manager", "wrong password " + std::to_string(i));
  REQUIRE(c.signIn("manager", kManagerPassword).status == 200);
  auto r = c.call("GET", "/api/v1/audit?event=NBX_AUTH_SIGNIN_FAILED&limit=2");
  REQUIRE(r.status == 200);
  auto page = c.json(r);
  CHECK(page["entries"].size() == 2);
  CHECK(page["entries"][0]["address"] == "192.168.1.20");
  CHECK(page["entries"][0]["description"] == "sign-in failed");
  REQUIRE(page["next_cursor"].is_string());
  page = c.json(c.call("GET", "/api/v1/audit?event=NBX_AUTH_SIGNIN_FAILED&limit=2&cursor=" +
                                  page["next_cursor"].get<std::string>()));
  CHECK(page["entries"].size() == 1);
  CHECK(c.call("GET", "/api/v1/audit?event=NOT_AN_EVENT").status == 400);
  CHECK(c.call("GET", "/api/v1/audit?limit=0").status == 400);
  CHECK(c.call("GET", "/api/v1/audit?since=yesterday").status == 400);
  const auto today = system::formatTimestamp(s.clock.now()).substr(0, 10);
  page = c.json(c.call("GET", "/api/v1/audit?since=" + today));
  CHECK(page["entries"].size() >= 5);
  page = c.json(c.call("GET", "/api/v1/audit?until=2000-01-01"));
  CHECK(page["entries"].empty());
}

TEST_CASE("setup over the API: 410 once complete") {
  testing::Stack s;
  Client c(s);
  const auto code = *s.setup.prepare(s.codeFile);
  CHECK(c.call("GET", "/api/v1/setup").status == 200);
  const Json body = {{"code", code},          {"setting_name", "Rainbow"}, {"framework", "eyfs"},
                     {"username", "beth"},    {"display_name", "Beth"},    {"password", kManagerPassword}};
  auto r = c.call("POST", "/api/v1/setup", body.dump());
  CHECK(r.status == 201);
  CHECK(headerOf(r, "Set-Cookie"));
  CHECK(c.call("GET", "/api/v1/setup").status == 410);
  CHECK(c.call("POST", "/api/v1/setup", body.dump()).status == 410);
}
