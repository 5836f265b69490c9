// Fault lockdown (policy 001): engaging ends every session and closes every route but the
// notice and the manager's way out; only a manager with password and PIN, on the setting's
// network, lifts it; the incident keeps its timeline.
#include <catch2/catch.hpp>

#include "api_client.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using domain::ErrorKind;
using testing::kindOf;

namespace {

Json lift(const std::string& username, const std::string& password, const std::string& pin) {
  return {{"username", username}, {"password", password}, {"pin", pin}, {"fault", "A photo went to the wrong family"},
          {"rectification", "Tags corrected, families told, consent checks added"}};
}

}  // namespace

TEST_CASE("a lockdown ends every session and closes every route but the notice and the way out") {
  testing::JournalSetting t;
  auto& s = t.s;
  s.accounts.setOwnPin(t.manager, testing::kManagerPassword, "4826");
  testing::Client manager(s), kate(s), parent(s), anonymous(s);
  REQUIRE(manager.signIn("manager", testing::kManagerPassword).status == 200);
  REQUIRE(kate.signIn("kate", "green apple orchard").status == 200);
  REQUIRE(parent.signIn("parent.a", "blue whale singing").status == 200);
  const auto entry = t.observe({t.a.id});

  // Staff cannot engage it; a manager must confirm.
  CHECK(kate.call("POST", "/api/v1/lockdown", Json{{"reason", "x"}, {"confirm", true}}.dump()).status == 403);
  CHECK(manager.call("POST", "/api/v1/lockdown", Json{{"reason", "Suspected leak"}}.dump()).status == 400);
  const auto engaged = manager.call("POST", "/api/v1/lockdown", Json{{"reason", "Suspected leak of a photo"}, {"confirm", true}}.dump());
  REQUIRE(engaged.status == 200);
  CHECK(s.auditCount("NBX_LOCKDOWN_ENGAGED") == 1);

  // Everyone's session has ended, and every route but the notice answers 503, signed in or not.
  for (auto* c : {&manager, &kate, &parent, &anonymous}) {
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/v1/feed"}, {"GET", "/api/v1/entries/" + entry.entry.id}, {"GET", "/api/v1/auth/session"},
             {"POST", "/api/v1/auth/sign-in"}, {"GET", "/api/v1/setup"}, {"POST", "/api/v1/uploads"},
             {"GET", "/api/v1/media/0123456789abcdef0123456789abcdef/thumbnail"}, {"GET", "/api/v1/lockdown/incidents"}}) {
      INFO(method << " " << path);
      const auto r = c->call(method, path, method == "GET" ? "" : "{}");
      CHECK(r.status == 503);
      CHECK(c->json(r)["error"] == "lockdown");
    }
  }
  CHECK(s.store.openSessions(t.staff.userId).empty());
  CHECK(s.store.openSessions(t.parentA.userId).empty());

  // The notice: when, and the managers' updates — not the internal reason, nor any data.
  const auto notice = anonymous.call("GET", "/api/v1/lockdown");
  REQUIRE(notice.status == 200);
  CHECK(notice.body.find("Suspected") == std::string::npos);
  CHECK(notice.body.find("Ava") == std::string::npos);
  CHECK(anonymous.json(notice)["engaged"] == true);

  // Updates and lifting need a manager's username, password and PIN, from the setting's network.
  const Json update = {{"username", "manager"}, {"password", testing::kManagerPassword}, {"pin", "4826"},
                       {"message", "We are checking the journal. Nothing has been shared outside the setting."}};
  CHECK(anonymous.call("POST", "/api/v1/lockdown/updates", update.dump()).status == 201);
  auto wrongPin = update;
  wrongPin["pin"] = "1397";
  CHECK(anonymous.call("POST", "/api/v1/lockdown/updates", wrongPin.dump()).status == 401);
  s.accounts.setOwnPin(t.staff, "green apple orchard", "5937");
  CHECK(anonymous.json(anonymous.call("POST", "/api/v1/lockdown/lift", lift("kate", "green apple orchard", "5937").dump()))["error"] ==
        "manager_only");
  testing::Client guest(s);
  guest.address = "203.0.113.9";
  CHECK(guest.json(guest.call("POST", "/api/v1/lockdown/lift", lift("manager", testing::kManagerPassword, "4826").dump()))["error"] ==
        "not_on_lan");
  CHECK(anonymous.json(anonymous.call("GET", "/api/v1/lockdown"))["notice"]["updates"].size() == 1);
  CHECK(s.lockdown.engaged());

  const auto lifted = anonymous.call("POST", "/api/v1/lockdown/lift", lift("manager", testing::kManagerPassword, "4826").dump());
  REQUIRE(lifted.status == 200);
  CHECK_FALSE(s.lockdown.engaged());
  // Everyone signs in again; parents are told what happened and what was done.
  REQUIRE(parent.signIn("parent.a", "blue whale singing").status == 200);
  const auto after = parent.json(parent.call("GET", "/api/v1/lockdown"));
  CHECK(after["engaged"] == false);
  CHECK(after["last"]["fault"] == "A photo went to the wrong family");
  CHECK(after["last"]["updates"].size() == 1);
  CHECK(parent.call("GET", "/api/v1/feed").status == 200);
  // The timeline, for IT support.
  REQUIRE(manager.signIn("manager", testing::kManagerPassword).status == 200);
  const auto incidents = manager.json(manager.call("GET", "/api/v1/lockdown/incidents"));
  REQUIRE(incidents["incidents"].size() == 1);
  CHECK(incidents["incidents"][0]["reason"] == "Suspected leak of a photo");
  CHECK(incidents["incidents"][0]["via"] == "web");
  CHECK(incidents["incidents"][0]["lifted_by"] == "manager");
  CHECK(s.auditCount("NBX_LOCKDOWN_LIFTED") == 1);
  CHECK(s.auditCount("NBX_LOCKDOWN_REFUSED") == 3);
}

TEST_CASE("a lockdown from the box is the same switch, and engaging twice keeps the first") {
  testing::JournalSetting t;
  auto& s = t.s;
  const auto first = s.lockdown.engageLocally("cli", "console", "Router replaced by an unknown device");
  const auto again = s.lockdown.engageLocally("button", "button", "Pressed again");
  CHECK(first.record.id == again.record.id);
  CHECK(again.record.reason == "Router replaced by an unknown device");
  CHECK(kindOf([&] { s.lockdown.engageLocally("cli", "console", ""); }) == ErrorKind::invalid);
  testing::Client kate(s);
  CHECK(kate.signIn("kate", "green apple orchard").status == 503);
}

namespace {
struct FakeButton final : system::InputLine {
  bool pressed = false;
  bool active() override { return pressed; }
};
struct FakeLed final : system::OutputLine {
  int writes = 0;
  bool on = false;
  void set(bool value) override { on = value, ++writes; }
};
}  // namespace

TEST_CASE("the long-press detector ignores bounces and short presses and fires once per press") {
  system::LongPress press(50, 3000);
  int64_t t = 0;
  // Contact bounce: on-off-on within the debounce time, then let go quickly: nothing.
  for (bool v : {true, false, true, false, true}) CHECK_FALSE(press.sample(v, t += 10));
  CHECK_FALSE(press.sample(false, t += 100));
  // A 2-second press: nothing.
  for (int i = 0; i < 100; ++i) CHECK_FALSE(press.sample(true, t += 20));
  CHECK_FALSE(press.sample(false, t += 100));
  // Held for 3 seconds: fires once, however long it stays held.
  int fired = 0;
  for (int i = 0; i < 400; ++i) fired += press.sample(true, t += 20) ? 1 : 0;
  CHECK(fired == 1);
  // Released and held again: fires again.
  for (int i = 0; i < 10; ++i) press.sample(false, t += 20);
  fired = 0;
  for (int i = 0; i < 200; ++i) fired += press.sample(true, t += 20) ? 1 : 0;
  CHECK(fired == 1);
}

TEST_CASE("the box's button engages the lockdown after 3 seconds and the LED shows it") {
  testing::JournalSetting t;
  auto& s = t.s;
  FakeButton button;
  FakeLed led;
  domain::LockdownPanel panel(s.lockdown, &button, &led);
  int64_t now = 0;
  auto run = [&](int ms) {
    for (int i = 0; i < ms / 20; ++i) panel.tick(now += 20);
  };
  run(1000);
  CHECK_FALSE(led.on);
  button.pressed = true;
  run(2000);
  CHECK_FALSE(s.lockdown.engaged());  // not yet: a knock is not a decision
  run(1200);
  CHECK(s.lockdown.engaged());
  CHECK(led.on);
  const auto incident = s.lockdown.current();
  REQUIRE(incident);
  CHECK(incident->record.via == "button");
  CHECK(s.auditCount("NBX_LOCKDOWN_ENGAGED") == 1);
  // Lifted elsewhere: the LED follows within a second.
  button.pressed = false;
  s.accounts.setOwnPin(t.manager, testing::kManagerPassword, "4826");
  s.lockdown.lift({"manager", testing::kManagerPassword, "4826"}, "Pressed by a child", "Button moved out of reach", s.origin);
  run(1100);
  CHECK_FALSE(led.on);
}

TEST_CASE("uploads a lockdown stopped are kept in quarantine: neither resumed, published nor expired") {
  testing::JournalSetting t;
  auto& s = t.s;
  const auto upload = s.media.createUpload(t.staff, 4, "photo.jpg");
  s.lockdown.engageLocally("cli", "console", "Unknown device on the network");
  s.accounts.setOwnPin(t.manager, testing::kManagerPassword, "4826");
  s.lockdown.lift({"manager", testing::kManagerPassword, "4826"}, "A visitor's laptop", "Removed", s.origin);
  CHECK(kindOf([&] { s.media.append(t.staff, upload.id, 0, 4, std::nullopt); }) == ErrorKind::conflict);
  s.clock.advance(3 * 86400);
  CHECK(s.media.expireUploads() == 0);
  const auto kept = s.store.upload(upload.id);
  REQUIRE(kept);
  CHECK(kept->quarantinedAt);
  CHECK(std::filesystem::exists(s.mediaFiles.partPath(upload.id)));
}
