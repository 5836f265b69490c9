// The disk never fills (issue 14): uploads stop before the data disk drops below its reserve,
// counting what unfinished uploads may still write; managers see the space on their home.

#include <catch2/catch.hpp>

#include "domain/errors.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using namespace nestbox::testing;

namespace {
constexpr int64_t MiB = 1LL << 20, GiB = 1LL << 30;

}  // namespace

TEST_CASE("the reserve is the larger of 2 GiB and 5 % of the disk, unless the setting says", "[space]") {
  JournalSetting t;
  CHECK(t.s.settings.storageReserve(16 * GiB) == 2 * GiB);
  CHECK(t.s.settings.storageReserve(1000 * GiB) == 50 * GiB);
  domain::SettingsChange c;
  c.storageReserveMiB = 512;
  t.s.settings.update(t.manager, c);
  CHECK(t.s.settings.storageReserve(1000 * GiB) == 512 * MiB);
  c.storageReserveMiB = -1;
  CHECK(kindOf([&] { t.s.settings.update(t.manager, c); }) == domain::ErrorKind::invalid);
}

TEST_CASE("an upload that would take the reserve is refused with 507, and audited", "[space]") {
  JournalSetting t;
  auto& s = t.s;  // a 64 GiB disk: the reserve is 3.2 GiB
  const int64_t reserve = s.settings.storageReserve(64 * GiB);
  s.disk.setFree(reserve + 5 * GiB / 2);
  // 1 GiB fits: it and its processed copy leave the reserve whole.
  const auto first = s.media.createUpload(t.staff, 1 * GiB, "video.mp4");
  // What the unfinished first upload may still write counts: 1 GiB more does not fit now.
  CHECK(kindOf([&] { s.media.createUpload(t.staff, 1 * GiB, "second.mp4"); }) == domain::ErrorKind::insufficientStorage);
  CHECK(s.auditCount("NBX_UPLOAD_REFUSED_SPACE") == 1);
  // Once it is cancelled, there is room again.
  s.media.terminateUpload(t.staff, first.id);
  CHECK_NOTHROW(s.media.createUpload(t.staff, 1 * GiB, "second.mp4"));
  // A parent's home photo is held to the same reserve.
  s.disk.setFree(reserve + 1 * MiB);
  CHECK(kindOf([&] { s.media.createUpload(t.parentA, 2 * MiB, "home.jpg"); }) == domain::ErrorKind::insufficientStorage);
}

TEST_CASE("managers see the disk: free, reserved, unfinished and stored, with a state", "[space]") {
  JournalSetting t;
  auto& s = t.s;
  const int64_t reserve = s.settings.storageReserve(64 * GiB);
  s.disk.setFree(10 * GiB);
  auto r = s.media.space(t.manager);
  CHECK(r.totalBytes == 64 * GiB);
  CHECK(r.reserveBytes == reserve);
  CHECK(r.state == "ok");
  s.media.createUpload(t.staff, 100 * MiB, "clip.mp4");
  CHECK(s.media.space(t.manager).unfinishedBytes == 100 * MiB);
  s.disk.setFree(2 * reserve - 1);
  CHECK(s.media.space(t.manager).state == "low");
  s.disk.setFree(reserve);
  CHECK(s.media.space(t.manager).state == "full");
  CHECK(kindOf([&] { s.media.space(t.staff); }) == domain::ErrorKind::forbidden);
}
