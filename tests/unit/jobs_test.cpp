// The periodic-job runner (issue 14): runs what is due by the clock seam, remembers across
// restarts, audits each run and failure; and the housekeeping jobs it carries.

#include <catch2/catch.hpp>

#include "domain/jobs.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using namespace nestbox::testing;

TEST_CASE("jobs run when due by the clock, once per interval, and are audited", "[jobs]") {
  Stack s;
  domain::JobRunner runner(s.ctx);
  int hourly = 0, daily = 0;
  runner.add("test.hourly", 3600, [&] { return Json{{"n", ++hourly}}; });
  runner.add("test.daily", 86400, [&] { return Json{{"n", ++daily}}; });
  CHECK(runner.tick() == 2);  // new jobs run at the first tick
  CHECK(runner.tick() == 0);
  s.clock.advance(3599);
  CHECK(runner.tick() == 0);
  s.clock.advance(1);
  CHECK(runner.tick() == 1);
  CHECK(hourly == 2);
  CHECK(daily == 1);
  CHECK(s.auditCount("NBX_JOB_RAN") == 3);
  CHECK(runner.lastRun("test.hourly") == s.clock.now());
}

TEST_CASE("a restarted box neither repeats a job early nor forgets one that fell due", "[jobs]") {
  Stack s;
  int runs = 0;
  {
    domain::JobRunner first(s.ctx);
    first.add("test.job", 3600, [&] { ++runs; return Json::object(); });
    first.tick();
  }
  s.clock.advance(600);
  domain::JobRunner restarted(s.ctx);
  restarted.add("test.job", 3600, [&] { ++runs; return Json::object(); });
  CHECK(restarted.tick() == 0);
  CHECK(runs == 1);
  s.clock.advance(3000);  // fell due while "off"
  CHECK(restarted.tick() == 1);
  CHECK(runs == 2);
  // A clock that jumped back (no real-time clock before the first sync) does not hold it off.
  s.clock.advance(-86400);
  CHECK(restarted.tick() == 1);
}

TEST_CASE("a failing job is audited and tried again at its next interval, not every second", "[jobs]") {
  Stack s;
  domain::JobRunner runner(s.ctx);
  int attempts = 0;
  runner.add("test.flaky", 3600, [&]() -> Json {
    if (++attempts == 1) throw std::runtime_error("disk on fire");
    return Json::object();
  });
  int after = 0;
  runner.add("test.after", 3600, [&] { ++after; return Json::object(); });
  CHECK(runner.tick() == 2);  // the failure does not stop the jobs after it
  CHECK(after == 1);
  CHECK(s.auditCount("NBX_JOB_FAILED") == 1);
  s.clock.advance(10);
  CHECK(runner.tick() == 0);
  s.clock.advance(3600);
  runner.tick();
  CHECK(attempts == 2);
  CHECK(s.auditCount("NBX_JOB_RAN") == 3);
}

TEST_CASE("housekeeping removes ended sessions, expired codes and challenges, and nothing live", "[jobs]") {
  JournalSetting t;
  auto& s = t.s;
  const int64_t now = s.clock.now();
  storage::SessionRecord old{"old", "hash-old", t.staff.userId, "c", now - 40 * 86400, now - 40 * 86400, "a", "u",
                             now - 35 * 86400, std::string("signed_out"), std::nullopt, std::nullopt, std::nullopt};
  storage::SessionRecord recent = old;
  recent.id = "recent";
  recent.tokenHash = "hash-recent";
  recent.endedAt = now - 86400;
  storage::SessionRecord abandoned = old;
  abandoned.id = "abandoned";
  abandoned.tokenHash = "hash-abandoned";
  abandoned.endedAt.reset();
  abandoned.lastSeenAt = now - 3 * 86400;
  recent.lastSeenAt = now - 86400;
  for (const auto& r : {old, recent, abandoned}) s.store.insertSession(r);
  s.store.endSession("old", now - 35 * 86400, "signed_out");
  s.store.endSession("recent", now - 86400, "signed_out");
  s.store.putPasswordReset({t.parentA.userId, "h1", now - 31 * 86400, t.manager.userId});
  s.store.putPasswordReset({t.parentB.userId, "h2", now + 3600, t.manager.userId});
  const auto pending = s.devices.create(t.manager, "Spare iPad", std::nullopt);
  s.store.putChallenge("stale", s.tablet().id, now - 5);
  s.store.putChallenge("fresh", s.tablet().id, now + 60);

  s.clock.advance(11 * 60);  // the enrolment code (10 minutes) has expired
  domain::JobRunner runner(s.ctx);
  domain::addHousekeepingJobs(runner, s.ctx);
  CHECK(runner.tick() == 2);
  CHECK_FALSE(s.store.sessionById("old"));
  CHECK_FALSE(s.store.sessionById("abandoned"));
  CHECK(s.store.sessionById("recent"));
  CHECK(s.store.sessionById(t.staff.sessionId));  // a live session stays
  CHECK_FALSE(s.store.passwordReset(t.parentA.userId));
  CHECK(s.store.passwordReset(t.parentB.userId));
  CHECK_FALSE(s.store.takeChallenge("stale", s.clock.now()));
  CHECK(s.store.device(pending.device.id)->state == "pending");  // the device stays; its code is gone
  CHECK(s.auditCount("NBX_JOB_RAN") == 2);
}
