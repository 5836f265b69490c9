// What managers see of backups (issue 19): each run nestbox-backup reports is audited once,
// the last good one outlives a failure, and the state turns stale after 48 hours.
#include <catch2/catch.hpp>

#include "journal_setting.hpp"
#include "system/clock.hpp"
#include "system/files.hpp"

using namespace nestbox;

namespace {
void report(testing::Stack& s, int64_t finishedAt, bool ok, const std::string& error = "") {
  system::writeFileAtomic(s.backupStatusFile,
                          "{\"finished_at\":\"" + system::formatTimestamp(finishedAt) + "\",\"ok\":" + (ok ? "true" : "false") +
                              ",\"duration_s\":42,\"snapshot\":\"" + (ok ? "1a2b3c4d" : "") +
                              "\",\"bytes_added\":1000,\"bytes_total\":50000,\"snapshots\":3,\"error\":\"" + error + "\"}\n",
                          0640);
}
}  // namespace

TEST_CASE("backup runs are audited once each; the last good one outlives a failure; stale after 48 hours") {
  testing::JournalSetting t;
  auto& s = t.s;
  CHECK(s.backups.overview(t.manager).state == "none");
  s.backups.tick();  // no status file yet
  CHECK(s.auditCount("NBX_BACKUP_DONE") == 0);

  report(s, s.clock.now() - 3600, true);
  s.backups.tick();
  s.backups.tick();
  CHECK(s.auditCount("NBX_BACKUP_DONE") == 1);
  auto o = s.backups.overview(t.manager);
  CHECK(o.state == "ok");
  REQUIRE(o.lastGood);
  CHECK(o.lastGood->snapshot == "1a2b3c4d");
  CHECK(o.lastGood->bytesTotal == 50000);
  CHECK(o.lastGood->snapshots == 3);
  CHECK(s.home.summary(t.manager).backups.state == "ok");

  s.clock.advance(47 * 3600);
  CHECK(s.backups.overview(t.manager).state == "ok");
  s.clock.advance(2 * 3600);
  CHECK(s.backups.overview(t.manager).state == "stale");

  report(s, s.clock.now() - 60, false, "the backup disk is full");
  s.backups.tick();
  CHECK(s.auditCount("NBX_BACKUP_FAILED") == 1);
  o = s.backups.overview(t.manager);
  CHECK(o.state == "failed");
  CHECK(o.last->error == "the backup disk is full");
  CHECK(o.lastGood->snapshot == "1a2b3c4d");

  report(s, s.clock.now(), true);
  s.backups.tick();
  CHECK(s.backups.overview(t.manager).state == "ok");
  CHECK(s.auditCount("NBX_BACKUP_DONE") == 2);

  // An unreadable status changes nothing; only managers see any of it.
  system::writeFileAtomic(s.backupStatusFile, "{not json", 0640);
  s.backups.tick();
  CHECK(s.auditCount("NBX_BACKUP_DONE") + s.auditCount("NBX_BACKUP_FAILED") == 3);
  CHECK(testing::kindOf([&] { s.backups.overview(t.staff); }) == domain::ErrorKind::forbidden);
  CHECK(testing::kindOf([&] { s.backups.overview(t.parentA); }) == domain::ErrorKind::forbidden);
}

TEST_CASE("a check that finds the repository damaged is audited and shown until a later check passes") {
  testing::JournalSetting t;
  auto& s = t.s;
  report(s, s.clock.now() - 600, true);
  auto check = [&](int64_t at, bool ok) {
    system::writeFileAtomic(s.backupCheckFile,
                            "{\"finished_at\":\"" + system::formatTimestamp(at) + "\",\"ok\":" + (ok ? "true" : "false") +
                                ",\"subset_percent\":5,\"error\":\"" + (ok ? "" : "pack 3f2a: does not match") + "\"}\n",
                            0640);
  };
  check(s.clock.now() - 300, false);
  s.backups.tick();
  s.backups.tick();
  CHECK(s.auditCount("NBX_BACKUP_CHECK_FAILED") == 1);
  auto o = s.backups.overview(t.manager);
  CHECK(o.state == "check_failed");
  REQUIRE(o.lastCheck);
  CHECK(o.lastCheck->error == "pack 3f2a: does not match");
  check(s.clock.now(), true);
  s.backups.tick();
  CHECK(s.auditCount("NBX_BACKUP_CHECKED") == 1);
  CHECK(s.backups.overview(t.manager).state == "ok");
}

TEST_CASE("a backup status is read only when it is whole and well formed") {
  CHECK_FALSE(domain::parseBackupStatus(""));
  CHECK_FALSE(domain::parseBackupStatus("[]"));
  CHECK_FALSE(domain::parseBackupStatus("{\"ok\":true}"));
  CHECK_FALSE(domain::parseBackupStatus("{\"finished_at\":\"yesterday\",\"ok\":true}"));
  CHECK_FALSE(domain::parseBackupStatus("{\"finished_at\":\"2026-12-01T02:00:00Z\",\"ok\":\"yes\"}"));
  const auto r = domain::parseBackupStatus("{\"finished_at\":\"2026-12-01T02:00:00Z\",\"ok\":true,\"snapshots\":2}");
  REQUIRE(r);
  CHECK(r->finishedAt == 1796090400);
  CHECK(r->snapshots == 2);
  const auto c = domain::parseBackupCheck("{\"finished_at\":\"2026-12-01T05:00:00Z\",\"kind\":\"test_restore\",\"ok\":true,\"sample\":20}");
  REQUIRE(c);
  CHECK(c->kind == "test_restore");
  CHECK(c->sample == 20);
  CHECK(domain::parseBackupCheck("{\"finished_at\":\"2026-12-01T05:00:00Z\",\"ok\":true}")->kind == "check");
  CHECK_FALSE(domain::parseBackupCheck("{\"finished_at\":\"2026-12-01T05:00:00Z\",\"kind\":\"guess\",\"ok\":true}"));
}

TEST_CASE("the banner names what is wrong: no disk plugged in, a disk over 90% full; the weekly check and the test restore are kept apart") {
  testing::JournalSetting t;
  auto& s = t.s;
  auto run = [&](int64_t at, bool ok, const std::string& code, int64_t size, int64_t free) {
    system::writeFileAtomic(s.backupStatusFile,
                            "{\"finished_at\":\"" + system::formatTimestamp(at) + "\",\"ok\":" + (ok ? "true" : "false") +
                                ",\"snapshot\":\"" + (ok ? "5e6f7a8b" : "") + "\",\"snapshots\":2,\"error\":\"" +
                                (ok ? "" : "No Nestbox backup disk is plugged in.") + "\",\"error_code\":\"" + code +
                                "\",\"size_bytes\":" + std::to_string(size) + ",\"free_bytes\":" + std::to_string(free) + "}\n",
                            0640);
    s.backups.tick();
  };
  run(s.clock.now() - 60, false, "disk_missing", 0, 0);
  CHECK(s.backups.overview(t.manager).state == "disk_missing");
  run(s.clock.now() - 50, false, "", 0, 0);  // an older script: no code is a plain failure
  CHECK(s.backups.overview(t.manager).state == "failed");
  CHECK(s.backups.overview(t.manager).last->errorCode == "failed");
  run(s.clock.now() - 40, true, "", 1000, 95);  // 9.5 % free
  auto o = s.backups.overview(t.manager);
  CHECK(o.state == "nearly_full");
  CHECK(o.lastGood->freeBytes == 95);
  run(s.clock.now() - 30, true, "", 1000, 100);  // 10 % free
  CHECK(s.backups.overview(t.manager).state == "ok");

  auto verify = [&](int64_t at, const std::string& kind, bool ok) {
    system::writeFileAtomic(s.backupCheckFile,
                            "{\"finished_at\":\"" + system::formatTimestamp(at) + "\",\"kind\":\"" + kind + "\",\"ok\":" +
                                (ok ? "true" : "false") + ",\"sample\":20,\"error\":\"\"}\n",
                            0640);
    s.backups.tick();
  };
  verify(s.clock.now() - 20, "test_restore", false);
  verify(s.clock.now() - 10, "check", true);
  o = s.backups.overview(t.manager);
  CHECK(o.state == "ok");  // the newer verification passed
  REQUIRE(o.lastTestRestore);
  CHECK_FALSE(o.lastTestRestore->ok);
  REQUIRE(o.lastWeeklyCheck);
  CHECK(o.lastWeeklyCheck->ok);
  CHECK(o.lastCheck->kind == "check");
  // Two in the same second: the one audited last is the latest.
  verify(s.clock.now() - 10, "test_restore", false);
  CHECK(s.backups.overview(t.manager).state == "check_failed");
}
