// Backups as the manager and the schedule drive them (issue 19): the daily slot in the
// setting's time zone (clock changes too), the weekly check and monthly test restore riding
// on it, the recovery key shown once and confirmed by typing two groups back, disks prepared
// only after their name is typed, and restore from the setup page only with the setup code.
// The root-run agent is a fake (fake_backup_agent.hpp): what is asked of it is checked here;
// what it does is tested against the real script (tests/integration/backup.test.mjs).
#include <catch2/catch.hpp>

#include <regex>

#include "domain/backup_schedule.hpp"
#include "journal_setting.hpp"
#include "system/clock.hpp"

using namespace nestbox;
using domain::BackupTarget;
using testing::errorOf;

namespace {
std::string at(int64_t t) { return system::formatTimestamp(t); }
int64_t utc(const std::string& text) { return *system::parseTimestamp(text); }

domain::ScheduleMemory memory(int64_t since, std::optional<int64_t> lastSlot = std::nullopt,
                              std::optional<int64_t> lastCheck = std::nullopt) {
  domain::ScheduleMemory m;
  m.since = since;
  m.lastSlot = lastSlot;
  m.lastCheck = lastCheck;
  return m;
}

// The key's groups `groups` (1-based), as a manager would type them from the sheet.
std::string groupsOf(const std::string& key, const std::vector<int>& groups) {
  std::string typed;
  for (int g : groups) typed += key.substr((g - 1) * 6, 5) + " ";
  return typed;
}
}  // namespace

TEST_CASE("backup times of day: HH:MM only") {
  struct Row { const char* text; std::optional<int> minute; };
  for (const Row& r : {Row{"02:00", 120}, Row{"00:00", 0}, Row{"23:59", 1439}, Row{"24:00", std::nullopt},
                       Row{"2:00", std::nullopt}, Row{"02:60", std::nullopt}, Row{"0200", std::nullopt},
                       Row{"ab:cd", std::nullopt}, Row{"", std::nullopt}}) {
    INFO(r.text);
    CHECK(domain::parseTimeOfDay(r.text) == r.minute);
  }
  CHECK(domain::formatTimeOfDay(90) == "01:30");
}

TEST_CASE("backup slots are the setting's local time, across clock changes") {
  const domain::Calendar london("Europe/London");
  struct Row { const char* now; int minute; const char* latest; const char* next; };
  for (const Row& r : {
           // Winter: local is UTC.
           Row{"2026-12-01T10:00:00Z", 120, "2026-12-01T02:00:00Z", "2026-12-02T02:00:00Z"},
           Row{"2026-12-01T01:59:59Z", 120, "2026-11-30T02:00:00Z", "2026-12-01T02:00:00Z"},
           Row{"2026-12-01T02:00:00Z", 120, "2026-12-01T02:00:00Z", "2026-12-02T02:00:00Z"},
           // Summer: 02:00 BST is 01:00 UTC.
           Row{"2026-07-01T12:00:00Z", 120, "2026-07-01T01:00:00Z", "2026-07-02T01:00:00Z"},
           // 29 March 2026: 01:30 does not exist (01:00 GMT becomes 02:00 BST): the first instant after.
           Row{"2026-03-29T12:00:00Z", 90, "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"},
           // 25 October 2026: 01:30 happens twice: the first.
           Row{"2026-10-25T12:00:00Z", 90, "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"},
       }) {
    INFO(r.now << " " << r.minute);
    CHECK(at(domain::latestBackupSlot(utc(r.now), r.minute, london)) == r.latest);
    CHECK(at(domain::nextBackupSlot(utc(r.now), r.minute, london)) == r.next);
  }
  const domain::Calendar auckland("Pacific/Auckland");  // UTC+13 in December
  CHECK(at(domain::nextBackupSlot(utc("2026-12-01T10:00:00Z"), 120, auckland)) == "2026-12-01T13:00:00Z");
}

TEST_CASE("the day's backup is owed once per slot; the check weekly and the test restore monthly ride on it") {
  const domain::Calendar london("Europe/London");
  const int64_t setUp = utc("2026-12-01T10:00:00Z");
  const int64_t day = 86400;
  struct Row {
    const char* why;
    int64_t now;
    domain::ScheduleMemory memory;
    bool backup, check, testRestore;
  };
  const int64_t slot2 = utc("2026-12-02T02:00:00Z");
  for (const Row& r : {
           Row{"set up after today's slot: nothing owed yet", setUp + 3600, memory(setUp), false, false, false},
           Row{"the next slot", slot2, memory(setUp), true, false, false},
           Row{"that slot asked for already", slot2 + 60, memory(setUp, slot2), false, false, false},
           Row{"off for three days: one backup when on again", slot2 + 3 * day + 7200, memory(setUp, slot2), true, false, false},
           Row{"a week after set-up: the first check", setUp + 7 * day, memory(setUp, slot2 + 5 * day), true, true, false},
           Row{"a check six days ago: none", slot2 + 7 * day, memory(setUp, slot2 + 6 * day, slot2 + day), true, false, false},
           Row{"a check a week ago (an hour less at a clock change): due",
               slot2 + 7 * day, memory(setUp, slot2 + 6 * day, slot2 + 3600), true, true, false},
           Row{"thirty days: the test restore", setUp + 30 * day, memory(setUp, setUp + 29 * day, setUp + 28 * day), true, false, true},
       }) {
    INFO(r.why);
    const auto due = domain::dueBackupWork(r.now, 120, london, r.memory);
    CHECK(due.backup == r.backup);
    CHECK(due.check == r.check);
    CHECK(due.testRestore == r.testRestore);
  }
}

TEST_CASE("recovery keys: 40 Crockford characters in 8 groups, typed back in any case, with or without dashes") {
  const std::string key = "ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH";
  CHECK(domain::BackupService::normaliseKey(key) == "ABCDEFGHJKMNPQRSTVWXYZ01234567" "89ABCDEFGH");
  CHECK(domain::BackupService::normaliseKey("abcde fghjk mnpqr stvwx yz012 34567 89abc defgh") ==
        domain::BackupService::normaliseKey(key));
  CHECK(domain::BackupService::normaliseKey("ABCDE-FGHJK-MNPQR-STVWX-YZ0I2-34567-89ABC-DEFGH") ==
        domain::BackupService::normaliseKey(key));  // I read as 1
  CHECK_FALSE(domain::BackupService::normaliseKey("ABCDE-FGHJK"));
  CHECK_FALSE(domain::BackupService::normaliseKey(key + "-A"));
  CHECK_FALSE(domain::BackupService::normaliseKey("ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFG!"));
}

TEST_CASE("setting up backups: only managers; the key is shown once, confirmed by two groups, handed to the agent") {
  testing::JournalSetting t;
  auto& s = t.s;
  const BackupTarget usb{"usb", ""};
  CHECK(s.backupService.status(t.manager).overview.state == "not_set_up");
  CHECK_FALSE(s.backupService.status(t.manager).configured);
  for (const auto* p : {&t.staff, &t.parentA}) {
    CHECK(testing::kindOf([&] { s.backupService.status(*p); }) == domain::ErrorKind::forbidden);
    CHECK(testing::kindOf([&] { s.backupService.beginSetup(*p, usb, "02:00"); }) == domain::ErrorKind::forbidden);
    CHECK(testing::kindOf([&] { s.backupService.backUpNow(*p); }) == domain::ErrorKind::forbidden);
    CHECK(testing::kindOf([&] { s.backupService.listDisks(*p); }) == domain::ErrorKind::forbidden);
  }
  CHECK(errorOf([&] { s.backupService.beginSetup(t.manager, {"nfs", ""}, "02:00"); }).field == "target");
  CHECK(errorOf([&] { s.backupService.beginSetup(t.manager, {"directory", "relative/path"}, "02:00"); }).field == "target");
  CHECK(errorOf([&] { s.backupService.beginSetup(t.manager, {"directory", "/srv/../etc"}, "02:00"); }).field == "target");
  CHECK(errorOf([&] { s.backupService.beginSetup(t.manager, usb, "25:00"); }).field == "time");
  CHECK(errorOf([&] { s.backupService.backUpNow(t.manager); }).code == "not_set_up");
  CHECK(s.backupAgent.requests.empty());

  const auto k = s.backupService.beginSetup(t.manager, usb, "03:30");
  CHECK(std::regex_match(k.key, std::regex("([0-9A-HJKMNP-TV-Z]{5}-){7}[0-9A-HJKMNP-TV-Z]{5}")));
  REQUIRE(k.confirmGroups.size() == 2);
  CHECK(k.confirmGroups[0] < k.confirmGroups[1]);
  CHECK(k.confirmGroups[0] >= 1);
  CHECK(k.confirmGroups[1] <= 8);
  CHECK(s.backupService.beginSetup(t.manager, usb, "03:30").key != k.key);  // fresh each time; the first is gone
  CHECK(errorOf([&] { s.backupService.confirmSetup(t.manager, k.id, groupsOf(k.key, k.confirmGroups)); }).code == "setup_expired");

  const auto k2 = s.backupService.beginSetup(t.manager, usb, "03:30");
  std::vector<int> wrong = {k2.confirmGroups[1], k2.confirmGroups[0]};  // the right groups, the wrong order
  const auto e = errorOf([&] { s.backupService.confirmSetup(t.manager, k2.id, groupsOf(k2.key, wrong)); });
  CHECK(e.code == "key_mismatch");
  CHECK(e.field == "typed");
  CHECK_FALSE(s.backupService.status(t.manager).configured);
  CHECK(s.backupAgent.requests.empty());

  // Lower case and without the dash: as a person types it.
  std::string typed = groupsOf(k2.key, k2.confirmGroups);
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto r = s.backupService.confirmSetup(t.manager, k2.id, typed);
  CHECK(r.state == "queued");
  REQUIRE(s.backupAgent.requests.size() == 1);
  const auto& sent = s.backupAgent.requests[0];
  CHECK(sent.op == "setup");
  CHECK(sent.origin == "manager");
  CHECK(s.backupAgent.field(sent, "target") == "usb");
  CHECK(s.backupAgent.field(sent, "key") == *domain::BackupService::normaliseKey(k2.key));
  // Shown once: the same confirmation again finds nothing waiting.
  CHECK(errorOf([&] { s.backupService.confirmSetup(t.manager, k2.id, typed); }).code == "setup_expired");
  // The audit row says it happened, never the key.
  CHECK(s.auditCount("NBX_BACKUP_SET_UP") == 1);
  storage::AuditQuery q;
  q.event = "NBX_BACKUP_SET_UP";
  CHECK(s.store.audit(q).front().detail.find(k2.key.substr(0, 5)) == std::string::npos);

  // The box's target is the agent's once it has taken it.
  auto st = s.backupService.status(t.manager);
  CHECK_FALSE(st.configured);
  REQUIRE(st.pending);
  CHECK(st.pending->op == "setup");
  s.backupAgent.answer(r.id, {{"ok", true}, {"snapshots", 0}});
  // At once: the page that saw the answer may back up straight away.
  CHECK(s.backupService.backUpNow(t.manager).op == "backup");
  st = s.backupService.status(t.manager);
  CHECK(st.configured);
  CHECK(st.time == "03:30");
  REQUIRE(st.nextAt);
  CHECK(st.overview.state == "none");
  CHECK(st.pending);  // the backup just asked for
  CHECK(s.backupService.request(t.manager, r.id).state == "done");

  // A target the agent refuses never becomes the box's; one it took but cannot reach does.
  auto change = s.backupService.changeTarget(t.manager, {"directory", "/etc/elsewhere"});
  s.backupAgent.answer(change.id, nullptr, "directory_not_allowed");
  CHECK(s.backupService.status(t.manager).target->kind == "usb");
  change = s.backupService.changeTarget(t.manager, {"directory", "/srv/backups"});
  s.backupAgent.answer(change.id, nullptr, "target_unreachable");
  CHECK(s.backupService.status(t.manager).target->path == "/srv/backups");
  CHECK(s.auditCount("NBX_BACKUP_TARGET_CHANGED") == 2);
}

TEST_CASE("five wrong confirmations end the key; a key waits 30 minutes at most") {
  testing::JournalSetting t;
  auto& s = t.s;
  auto k = s.backupService.beginSetup(t.manager, {"usb", ""}, "02:00");
  for (int i = 0; i < 5; ++i) {
    CHECK(errorOf([&] { s.backupService.confirmSetup(t.manager, k.id, "AAAAA AAAAA"); }).code == "key_mismatch");
  }
  CHECK(errorOf([&] { s.backupService.confirmSetup(t.manager, k.id, groupsOf(k.key, k.confirmGroups)); }).code == "setup_expired");
  k = s.backupService.beginSetup(t.manager, {"usb", ""}, "02:00");
  s.clock.advance(domain::BackupService::kPendingKeySeconds + 1);
  CHECK(errorOf([&] { s.backupService.confirmSetup(t.manager, k.id, groupsOf(k.key, k.confirmGroups)); }).code == "setup_expired");
  CHECK(s.backupAgent.requests.empty());
}

TEST_CASE("a disk is prepared only after its model and size are typed as the latest listing shows them") {
  testing::JournalSetting t;
  auto& s = t.s;
  CHECK(errorOf([&] { s.backupService.prepareDisk(t.manager, "/dev/sda", "SanDisk 62.7 GB"); }).code == "disks_not_listed");
  const auto listing = s.backupService.listDisks(t.manager);
  CHECK(errorOf([&] { s.backupService.prepareDisk(t.manager, "/dev/sda", "SanDisk 62.7 GB"); }).code == "disks_not_listed");
  s.backupAgent.answer(listing.id, {{"disks", Json::array({{{"device", "/dev/sda"}, {"model", "SanDisk Ultra"},
                                                             {"size_bytes", 62742792192LL}, {"prepared", false},
                                                             {"confirm", "SanDisk Ultra 62.7 GB"}}})}});
  CHECK(errorOf([&] { s.backupService.prepareDisk(t.manager, "/dev/sdb", "SanDisk Ultra 62.7 GB"); }).code == "no_such_disk");
  const auto e = errorOf([&] { s.backupService.prepareDisk(t.manager, "/dev/sda", "SanDisk Ultra"); });
  CHECK(e.code == "confirm_mismatch");
  CHECK(e.field == "confirm");
  CHECK(e.what() == std::string("Type the disk's name and size exactly as shown (SanDisk Ultra 62.7 GB): everything on it will be erased."));
  CHECK(s.backupAgent.requests.size() == 1);
  CHECK(testing::kindOf([&] { s.backupService.prepareDisk(t.staff, "/dev/sda", "SanDisk Ultra 62.7 GB"); }) == domain::ErrorKind::forbidden);
  const auto r = s.backupService.prepareDisk(t.manager, "/dev/sda", "  sandisk ultra  62.7 gb ");
  CHECK(r.op == "prepare");
  CHECK(s.backupAgent.field(s.backupAgent.requests.back(), "device") == "/dev/sda");
  CHECK(s.auditCount("NBX_BACKUP_DISK_PREPARE_REQUESTED") == 1);
  // A listing goes stale.
  s.clock.advance(domain::BackupService::kDiskListFreshSeconds + 1);
  CHECK(errorOf([&] { s.backupService.prepareDisk(t.manager, "/dev/sda", "SanDisk Ultra 62.7 GB"); }).code == "disks_not_listed");
}

TEST_CASE("the schedule asks for the day's backup at the setting's time, during a lockdown too, and checks weekly and test-restores monthly") {
  testing::JournalSetting t;
  auto& s = t.s;
  s.clock.set(utc("2026-12-01T10:00:00Z"));
  s.backupService.tick();
  CHECK(s.backupAgent.requests.empty());  // not set up
  const auto k = s.backupService.beginSetup(t.manager, {"directory", "/srv/nestbox-backups"}, "02:00");
  const auto setUp = s.backupService.confirmSetup(t.manager, k.id, groupsOf(k.key, k.confirmGroups));
  CHECK(s.backupAgent.field(s.backupAgent.requests.back(), "target") == "/srv/nestbox-backups");
  s.backupAgent.answer(setUp.id, {{"ok", true}});
  s.backupAgent.requests.clear();
  CHECK(at(*s.backupService.status(t.manager).nextAt) == "2026-12-02T02:00:00Z");

  auto ops = [&] {
    std::vector<std::string> out;
    for (const auto& r : s.backupAgent.requests) out.push_back(r.op + "/" + r.origin);
    s.backupAgent.requests.clear();
    return out;
  };
  s.clock.set(utc("2026-12-02T01:59:59Z"));
  s.backupService.tick();
  CHECK(ops().empty());
  s.lockdown.engage(t.manager, "a tablet was stolen");
  s.clock.set(utc("2026-12-02T02:00:00Z"));
  s.backupService.tick();
  s.backupService.tick();
  CHECK(ops() == std::vector<std::string>{"backup/schedule"});
  CHECK(at(*s.backupService.status(t.manager).nextAt) == "2026-12-03T02:00:00Z");
  // A week of days: the seventh brings the weekly check after the backup.
  for (int d = 1; d <= 7; ++d) {
    s.clock.advance(86400);
    s.backupService.tick();
    INFO("day " << d);
    CHECK(ops() == (d < 7 ? std::vector<std::string>{"backup/schedule"}
                          : std::vector<std::string>{"backup/schedule", "check/schedule"}));
  }
  for (int d = 8; d <= 30; ++d) {
    s.clock.advance(86400);
    s.backupService.tick();
    const auto o = ops();
    INFO("day " << d);
    CHECK(o.front() == "backup/schedule");
    CHECK((std::find(o.begin(), o.end(), "test-restore/schedule") != o.end()) == (d == 30));
  }
  // The time changed to 22:00: not owed for the slot already past today; tonight's is.
  s.clock.set(utc("2027-01-01T23:00:00Z"));
  s.backupService.setTime(t.manager, "22:00");
  s.backupService.tick();
  CHECK(ops().empty());
  CHECK(s.auditCount("NBX_BACKUP_SCHEDULE_CHANGED") == 1);
  s.clock.set(utc("2027-01-02T22:00:00Z"));
  s.backupService.tick();
  CHECK(ops().size() == 1);
  // An agent that cannot be reached: asked again at the next tick.
  s.backupAgent.broken = true;
  s.clock.advance(86400);
  s.backupService.tick();
  s.backupAgent.broken = false;
  s.backupService.tick();
  CHECK(ops() == std::vector<std::string>{"backup/schedule"});
  s.backupAgent.broken = true;
  CHECK(errorOf([&] { s.backupService.backUpNow(t.manager); }).code == "backup_agent_unavailable");
}

TEST_CASE("restoring from the setup page needs the setup code; its answers are the setup page's only") {
  testing::Stack s;
  const domain::RequestOrigin origin{"192.168.1.10", "unit-test", std::nullopt};
  const auto code = *s.setup.prepare(s.codeFile);
  const std::string key = "ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH";
  const BackupTarget usb{"usb", ""};
  CHECK(errorOf([&] { s.backupService.restoreDisks("WRONG-CODE", origin); }).code == "invalid_setup_code");
  CHECK(s.auditCount("NBX_SETUP_CODE_REJECTED") == 1);
  CHECK(s.backupAgent.requests.empty());
  CHECK(errorOf([&] { s.backupService.restoreSnapshots(code, usb, "not a key", origin); }).field == "key");
  CHECK(errorOf([&] { s.backupService.restore(code, usb, key, "../../x", origin); }).field == "snapshot");
  const auto disks = s.backupService.restoreDisks(code, origin);
  const auto snaps = s.backupService.restoreSnapshots(code, usb, key, origin);
  CHECK(s.backupAgent.field(s.backupAgent.requests.back(), "key") == *domain::BackupService::normaliseKey(key));
  const auto r = s.backupService.restore(code, usb, key, "1a2b3c4d", origin);
  CHECK(s.backupAgent.requests.back().op == "restore");
  CHECK(s.backupAgent.requests.back().origin == "setup");
  CHECK(s.backupService.setupRequest(r.id).op == "restore");
  CHECK(s.auditCount("NBX_BACKUP_RESTORE_REQUESTED") == 1);

  // Set up: the setup page's routes are gone; a manager cannot read the setup page's answers
  // nor the setup page a manager's.
  const auto manager = s.setUp();
  CHECK(errorOf([&] { s.backupService.restoreDisks(code, origin); }).code == "setup_complete");
  CHECK(errorOf([&] { s.backupService.request(manager, r.id); }).code == "not_found");
  const auto mine = s.backupService.listDisks(manager);
  CHECK(errorOf([&] { s.backupService.setupRequest(mine.id); }).code == "not_found");
  CHECK(errorOf([&] { s.backupService.setupRequest("0123456789abcdef0123456789abcdef"); }).code == "not_found");
  CHECK(s.backupService.setupRequest(disks.id).op == "disks");
  (void)snaps;
}
