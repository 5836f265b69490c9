// The box's clock before it can be trusted (issue 17): confirmation at setup, the floor under
// every certificate, and a clock that jumps forward after the first time sync.
#include <catch2/catch.hpp>

#include "api_client.hpp"
#include "fixture.hpp"
#include "security/certificate_authority.hpp"
#include "system/clock_sync.hpp"
#include "system/files.hpp"
#include "system/gpio.hpp"

using namespace nestbox;
using namespace nestbox::domain;
using testing::kindOf;
using testing::kManagerPassword;

namespace {
constexpr int64_t kFloor = 1'700'000'000;  // Stack's BoxClock floor
constexpr int64_t kDay = 86400;

SetupRequest requestWith(const std::string& code) {
  return {code, "Rainbow Nursery", "eyfs", "beth", "Beth", std::nullopt, kManagerPassword, "4071"};
}
}  // namespace

TEST_CASE("box clock: synchronised needs nothing; unsynchronised needs a confirmed time within bounds") {
  struct Row {
    const char* what;
    bool synced;
    std::optional<int64_t> confirmed;  // relative to the box's clock
    const char* error;                 // "" = accepted
    bool requested;                    // the clock is asked to move
  };
  const Row rows[] = {
      {"synchronised, nothing sent", true, std::nullopt, "", false},
      {"synchronised, a wild time is ignored", true, -50 * 365 * kDay, "", false},
      {"unsynchronised, nothing sent", false, std::nullopt, "clock_unconfirmed", false},
      {"unsynchronised, the box is right", false, 0, "", false},
      {"unsynchronised, within two minutes", false, 119, "", false},
      {"unsynchronised, three hours fast", false, -3 * 3600, "", true},
      {"unsynchronised, a day slow", false, kDay, "", true},
  };
  for (const auto& row : rows) {
    DYNAMIC_SECTION(row.what) {
      testing::Stack s;
      s.clockSync.setSynchronised(row.synced);
      const int64_t now = s.clock.now();
      std::optional<int64_t> confirmed;
      if (row.confirmed) confirmed = now + *row.confirmed;
      if (*row.error) {
        const auto e = testing::errorOf([&] { s.boxClock.confirmAtSetup(confirmed, s.origin); });
        CHECK(e.code == row.error);
        CHECK(e.field == "clock");
      } else {
        s.boxClock.confirmAtSetup(confirmed, s.origin);
      }
      CHECK(s.clockSync.requested().has_value() == row.requested);
      if (row.requested) {
        CHECK(*s.clockSync.requested() == *confirmed);
        CHECK(s.auditCount("NBX_CLOCK_SET_REQUESTED") == 1);
      } else {
        CHECK(s.auditCount("NBX_CLOCK_SET_REQUESTED") == 0);
      }
    }
  }
}

TEST_CASE("box clock: a time before the box's floor, or decades after it, is refused") {
  testing::Stack s;
  s.clockSync.setSynchronised(false);
  for (const int64_t t : {int64_t{0}, kFloor - 1, kFloor + BoxClock::kHorizon + 1}) {
    const auto e = testing::errorOf([&] { s.boxClock.confirmAtSetup(t, s.origin); });
    CHECK(e.code == "invalid");
    CHECK(e.field == "clock");
  }
  CHECK_FALSE(s.clockSync.requested());
  s.boxClock.confirmAtSetup(kFloor, s.origin);  // the floor itself is a possible now
}

TEST_CASE("setup with an unsynchronised clock: refused without a confirmed time, nothing written, then done") {
  testing::Stack s;
  s.clockSync.setSynchronised(false);
  const auto code = *s.setup.prepare(s.codeFile);
  auto r = requestWith(code);
  CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::invalid);
  CHECK_FALSE(s.store.setting());
  CHECK(s.store.users({}).empty());

  // A bad field is reported before the clock is touched: a refused setup moves nothing.
  r.confirmedNow = s.clock.now() + kDay;
  r.password = "short";
  CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::invalid);
  CHECK_FALSE(s.clockSync.requested());
  // So does a wrong code.
  r.password = kManagerPassword;
  r.code = "WRONG-CODE";
  CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::unauthenticated);
  CHECK_FALSE(s.clockSync.requested());

  r.code = code;
  s.setup.run(r, s.origin, s.codeFile);
  CHECK(s.store.setting());
  CHECK(s.clockSync.requested() == s.clock.now() + kDay);
}

TEST_CASE("setup over the API shows the box's clock and takes clock.confirmed_now") {
  testing::Stack s;
  testing::Client c(s);
  s.clockSync.setSynchronised(false);
  const auto code = *s.setup.prepare(s.codeFile);
  const auto shown = c.call("GET", "/api/v1/setup");
  REQUIRE(shown.status == 200);
  const Json clock = Json::parse(shown.body)["clock"];
  CHECK(clock["now"] == s.clock.now());
  CHECK(clock["synchronised"] == false);
  CHECK(clock["floor"] == kFloor);

  Json body = {{"code", code},       {"setting_name", "Rainbow"}, {"framework", "eyfs"},
               {"username", "beth"}, {"display_name", "Beth"},    {"password", kManagerPassword}};
  auto r = c.call("POST", "/api/v1/setup", body.dump());
  CHECK(r.status == 400);
  CHECK(Json::parse(r.body)["error"] == "clock_unconfirmed");
  CHECK(Json::parse(r.body)["field"] == "clock");

  body["clock"] = {{"confirmed_now", "yesterday"}};
  CHECK(c.call("POST", "/api/v1/setup", body.dump()).status == 400);
  body["clock"] = {{"confirmed_now", s.clock.now()}, {"zone", "UTC"}};
  CHECK(c.call("POST", "/api/v1/setup", body.dump()).status == 400);  // unknown field
  body["clock"] = {{"confirmed_now", 12}};
  r = c.call("POST", "/api/v1/setup", body.dump());
  CHECK(r.status == 400);
  CHECK(Json::parse(r.body)["field"] == "clock");
  CHECK_FALSE(s.store.setting());

  body["clock"] = {{"confirmed_now", s.clock.now()}};
  CHECK(c.call("POST", "/api/v1/setup", body.dump()).status == 201);
  CHECK_FALSE(s.clockSync.requested());
}

TEST_CASE("certificates are never dated before the floor, and follow a clock moved back") {
  const auto dir = testing::tempDir("tls-floor") + "/tls";
  const int64_t floor = 1'780'000'000;
  const security::CertificateNames names{"nestbox", {"127.0.0.1"}};
  // A Pi that booted in 1970 (no real-time clock, no time server yet).
  const auto first = security::ensureCertificates(dir, names, 0, floor);
  CHECK(first.caCreated);
  const auto ca = system::readFile(dir + "/ca.crt");
  const auto server = system::readFile(dir + "/server.crt");
  CHECK(security::certificateNotBefore(ca) >= floor);
  CHECK(security::certificateNotBefore(server) >= floor);
  CHECK(security::certificateNotAfter(ca) > floor + 3000 * kDay);
  CHECK(security::certificateNotAfter(server) > floor + 390 * kDay);

  // The clock was wrong by a year ahead when the certificate was made; the first sync moves it
  // back: the server certificate (not yet valid) is re-issued, the CA stays.
  security::ensureCertificates(dir, {"nursery", {"127.0.0.1"}}, floor + 400 * kDay, floor);
  const auto ahead = system::readFile(dir + "/server.crt");
  CHECK(security::certificateNotBefore(ahead) > floor + 300 * kDay);
  const auto back = security::ensureCertificates(dir, {"nursery", {"127.0.0.1"}}, floor + 10 * kDay, floor);
  CHECK(back.serverIssued);
  CHECK_FALSE(back.caCreated);
  CHECK(security::certificateNotBefore(system::readFile(dir + "/server.crt")) <= floor + 10 * kDay);
  // And nothing changes while the clock stays inside the dates.
  CHECK_FALSE(security::ensureCertificates(dir, {"nursery", {"127.0.0.1"}}, floor + 11 * kDay, floor).serverIssued);

  // A device's client certificate is not dated before the CA either.
  const auto device = security::issueClientCertificate(dir, "dev1", "Tablet", "pw", 0);
  CHECK(security::certificateNotBefore(device.certificatePem) >= floor);
}

TEST_CASE("the clock jumping forward years ends sessions and throttles cleanly and keeps the audit order") {
  testing::Stack s;
  const auto manager = s.setUp();
  testing::Client c(s);
  REQUIRE(c.signIn("manager", kManagerPassword).status == 200);
  CHECK(c.call("GET", "/api/v1/auth/session").status == 200);
  // Locked out by wrong passwords just before the jump.
  testing::Client intruder(s);
  for (int i = 0; i < 12; ++i) intruder.signIn("manager", "wrong password " + std::to_string(i));
  CHECK(intruder.signIn("manager", kManagerPassword).status != 200);

  s.clock.advance(6 * 365 * kDay);  // a box that booted in the past meets a time server
  CHECK(c.call("GET", "/api/v1/auth/session").status == 401);  // expired, not an error
  CHECK(intruder.signIn("manager", kManagerPassword).status == 200);  // the lock has run out
  // The audit log lists by order of writing, not by clock: a step back after the jump
  // (a corrected clock) still lists the newest event first.
  s.clock.advance(-6 * 365 * kDay);
  REQUIRE(c.signIn("manager", kManagerPassword).status == 200);
  const auto audit = Json::parse(c.call("GET", "/api/v1/audit?limit=3").body);
  REQUIRE(audit["entries"].size() >= 2);
  CHECK(audit["entries"][0]["event"] == "NBX_AUTH_SIGNIN_OK");
  (void)manager;
}

TEST_CASE("GPIO lines are given as CHIP:OFFSET or by name") {
  using system::GpioLineSpec;
  CHECK(system::parseGpioLine("gpiochip0:17") == GpioLineSpec{"gpiochip0", 17, {}});
  CHECK(system::parseGpioLine("GPIO17") == GpioLineSpec{{}, 0, "GPIO17"});
  CHECK(system::parseGpioLine("PIN_11-button") == GpioLineSpec{{}, 0, "PIN_11-button"});
  for (const char* bad : {"", ":17", "gpiochip0:", "gpiochip0:x", "gpiochip0:17:1", "GPIO 17", "gpiochip0:99999"}) {
    CHECK_FALSE(system::parseGpioLine(bad));
  }
}
