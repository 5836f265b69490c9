// Journal exports (issue 20) in the domain: who may ask, what a lockdown, a cancel, a full disk
// and a restart do to one, the 7-day expiry, the year-end reminder's dates, and the zip itself.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "domain/calendar.hpp"
#include "domain/curriculum.hpp"
#include "media/sniff.hpp"
#include "domain/errors.hpp"
#include "journal_setting.hpp"
#include "storage/zip_archive.hpp"
#include "system/files.hpp"

using namespace nestbox;
using domain::ErrorKind;
using testing::kindOf;

namespace {

struct ExportSetting : testing::JournalSetting {
  storage::ExportRecord record(const std::string& id) { return *s.store.exportById(id); }
};

}  // namespace

TEST_CASE("exports: a family exports only their own child, a manager any child; staff none") {
  ExportSetting t;
  t.observe({t.a.id});
  t.observe({t.b.id});
  CHECK(kindOf([&] { t.s.exports.request(t.parentB, t.a.id); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.exports.request(t.staff, t.a.id); }) == ErrorKind::forbidden);
  const auto mine = t.s.exports.request(t.parentB, t.b.id);
  CHECK(mine.record.state == "queued");
  CHECK(t.s.auditCount("NBX_EXPORT_REQUESTED") == 1);
  // A second of the same while the first waits: refused, with a message.
  CHECK(kindOf([&] { t.s.exports.request(t.parentB, t.b.id); }) == ErrorKind::conflict);
  REQUIRE(t.s.exportWorkers.runAll() == 1);
  const auto done = t.record(mine.record.id);
  REQUIRE(done.state == "ready");
  CHECK(done.bytes > 0);
  CHECK(done.expiresAt == *done.finishedAt + 7 * 86400);
  CHECK(std::filesystem::exists(t.s.mediaFiles.exportPath(done.id)));
  // What went to the PDF: Ben's entry only.
  const auto& doc = t.s.processor.lastDocument;
  CHECK(doc.title.find("Ben Brown") != std::string::npos);
  REQUIRE(doc.sections.size() == 1);
  CHECK(doc.sections[0].entries.size() == 1);
  // Only the requester: another family and a manager are told it does not exist.
  CHECK(kindOf([&] { t.s.exports.get(t.parentA, done.id); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.exports.download(t.manager, done.id, false); }) == ErrorKind::notFound);
  const auto served = t.s.exports.download(t.parentB, done.id, false);
  CHECK(served.relativePath == "exports/" + done.id + ".zip");
  CHECK(served.downloadName.rfind("Nestbox journal - Ben Brown - ", 0) == 0);
  t.s.exports.download(t.parentB, done.id, true);  // a resumed piece: not audited again
  CHECK(t.s.auditCount("NBX_EXPORT_DOWNLOADED") == 1);
  // A manager may export any child.
  CHECK(t.s.exports.request(t.manager, t.a.id).record.state == "queued");
  // A family no longer attached to the child downloads nothing more.
  t.s.children.unlinkCarer(t.manager, t.b.id, t.parentB.userId);
  CHECK(kindOf([&] { t.s.exports.download(t.parentB, done.id, false); }) == ErrorKind::notFound);
}

TEST_CASE("exports: a lockdown stops an export before its next step; a cancel does too") {
  ExportSetting t;
  t.observe({t.b.id});
  const auto first = t.s.exports.request(t.parentB, t.b.id);
  t.s.lockdown.engageLocally("cli", "console", "A tablet went missing");
  t.s.exportWorkers.runAll();
  auto r = t.record(first.record.id);
  CHECK(r.state == "cancelled");
  CHECK(r.errorCode == "lockdown");
  CHECK(r.errorMessage.find("lockdown") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(t.s.mediaFiles.exportPath(r.id)));
  CHECK(t.s.auditCount("NBX_EXPORT_CANCELLED") == 1);
}

TEST_CASE("exports: one the box's stop interrupted says so, and asks for it again") {
  ExportSetting t;
  t.observe({t.b.id});
  const auto e = t.s.exports.request(t.parentB, t.b.id);
  t.s.exports.stopAll("box_stopping");
  t.s.exportWorkers.runAll();
  CHECK(t.record(e.record.id).state == "cancelled");
  CHECK(t.record(e.record.id).errorCode == "interrupted");
  CHECK(t.record(e.record.id).errorMessage.find("Ask for it again") != std::string::npos);
}

TEST_CASE("exports: the requester cancels one in progress, or removes a finished one") {
  ExportSetting t;
  t.observe({t.b.id});
  const auto first = t.s.exports.request(t.parentB, t.b.id);
  t.s.exports.cancel(t.parentB, first.record.id);
  t.s.exportWorkers.runAll();
  CHECK(t.record(first.record.id).state == "cancelled");
  CHECK(t.record(first.record.id).errorCode == "cancelled");
  const auto second = t.s.exports.request(t.parentB, t.b.id);
  t.s.exportWorkers.runAll();
  REQUIRE(t.record(second.record.id).state == "ready");
  t.s.exports.cancel(t.parentB, second.record.id);
  CHECK(t.record(second.record.id).state == "expired");
  CHECK_FALSE(std::filesystem::exists(t.s.mediaFiles.exportPath(second.record.id)));
  CHECK(kindOf([&] { t.s.exports.download(t.parentB, second.record.id, false); }) == ErrorKind::gone);
}

TEST_CASE("exports: refused at the disk's reserve, before anything is written") {
  ExportSetting t;
  t.observe({t.b.id});
  t.s.disk.setFree(1LL << 30);  // below the default reserve (2 GiB)
  CHECK(kindOf([&] { t.s.exports.request(t.parentB, t.b.id); }) == ErrorKind::insufficientStorage);
  CHECK(t.s.store.exportsBy(t.parentB.userId, 10).empty());
}

TEST_CASE("exports: after 7 days the file is removed; a restart fails what it interrupted") {
  ExportSetting t;
  t.observe({t.b.id});
  const auto done = t.s.exports.request(t.parentB, t.b.id);
  t.s.exportWorkers.runAll();
  CHECK(t.s.exports.expire()["removed"] == 0);
  t.s.clock.advance(7 * 86400 + 1);
  CHECK(t.s.exports.expire()["removed"] == 1);
  CHECK(t.record(done.record.id).state == "expired");
  CHECK_FALSE(std::filesystem::exists(t.s.mediaFiles.exportPath(done.record.id)));

  const auto waiting = t.s.exports.request(t.parentB, t.b.id);
  system::writeFileAtomic(t.s.mediaFiles.exportPath(waiting.record.id) + ".part", "half a zip", 0640);
  t.s.exports.recover();  // as at start, with the job lost with the old process
  CHECK(t.record(waiting.record.id).state == "failed");
  CHECK(t.record(waiting.record.id).errorCode == "interrupted");
  CHECK_FALSE(std::filesystem::exists(t.s.mediaFiles.exportPath(waiting.record.id) + ".part"));
}

TEST_CASE("exports: the year-end reminder, from its date until the family has downloaded") {
  ExportSetting t;
  t.observe({t.b.id});
  CHECK_FALSE(t.s.exports.reminder(t.parentB).due);
  domain::SettingsChange change;
  change.exportReminderOn = "13-01";
  CHECK(kindOf([&] { t.s.settings.update(t.manager, change); }) == ErrorKind::invalid);
  const auto today = t.s.settings.today(t.s.clock.now());
  change.exportReminderOn = today.substr(5);
  t.s.settings.update(t.manager, change);
  auto r = t.s.exports.reminder(t.parentB);
  CHECK(r.due);
  CHECK(r.since == today);
  CHECK_FALSE(t.s.exports.reminder(t.manager).due);
  const auto e = t.s.exports.request(t.parentB, t.b.id);
  t.s.exportWorkers.runAll();
  CHECK(t.s.exports.reminder(t.parentB).due);  // made, not yet downloaded
  t.s.exports.download(t.parentB, e.record.id, false);
  CHECK_FALSE(t.s.exports.reminder(t.parentB).due);
  CHECK(t.s.exports.reminder(t.parentA).due);  // another family has not
}

TEST_CASE("exports: file extensions by type, curriculum aspects in words") {
  CHECK(media::extensionForMime("image/jpeg") == "jpg");
  CHECK(media::extensionForMime("video/quicktime") == "mov");
  CHECK(media::extensionForMime("application/pdf") == "pdf");
  CHECK(media::extensionForMime("text/html") == "bin");
  const auto& eyfs = domain::framework("eyfs");
  CHECK(eyfs.aspectInWords("eyfs.m.n") == "Mathematics: Number");
  CHECK_FALSE(eyfs.aspectInWords("eyfs.m"));  // an area, not an aspect
  CHECK_FALSE(eyfs.aspectInWords("nope"));
}

TEST_CASE("calendar: a day of the year, and its last occurrence") {
  using domain::Calendar;
  using domain::parseMonthDay;
  CHECK(parseMonthDay("07-15") == std::pair{7, 15});
  CHECK(parseMonthDay("02-29") == std::pair{2, 29});
  for (const char* bad : {"", "7-15", "13-01", "00-10", "04-31", "07/15", "0a-01", "07-150"}) CHECK_FALSE(parseMonthDay(bad));
  CHECK(Calendar::lastOccurrence("2026-12-02", {7, 15}) == "2026-07-15");
  CHECK(Calendar::lastOccurrence("2026-07-15", {7, 15}) == "2026-07-15");
  CHECK(Calendar::lastOccurrence("2026-07-14", {7, 15}) == "2025-07-15");
  CHECK(Calendar::lastOccurrence("2027-03-01", {2, 29}) == "2027-02-28");
  CHECK(Calendar::lastOccurrence("2028-03-01", {2, 29}) == "2028-02-29");
}

TEST_CASE("zip: media stored, text deflated, cancelled leaves nothing") {
  const auto dir = std::filesystem::temp_directory_path() / ("nestbox-zip-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto photo = (dir / "photo.jpg").string();
  {
    std::ofstream out(photo, std::ios::binary);
    for (int i = 0; i < 200000; ++i) out.put(static_cast<char>(i * 7919 % 251));
  }
  const auto zip = (dir / "out.zip").string();
  std::vector<storage::ZipMember> members{{"Ben journal/media/photo.jpg", photo, {}, false, 0},
                                          {"Ben journal/index.html", {}, std::string(50000, 'x'), true, 0}};
  double last = 0;
  const auto bytes = storage::writeZip(zip, members, {[&](double f) { last = f; }, {}});
  CHECK(bytes == static_cast<int64_t>(std::filesystem::file_size(zip)));
  CHECK(bytes > 200000);  // stored: the photo's bytes as they are
  CHECK(bytes < 200000 + 5000);  // deflated: the page's 50000 repeated bytes shrink
  CHECK(last == Approx(1.0));
  CHECK_FALSE(std::filesystem::exists(zip + ".part"));

  const auto cancelled = (dir / "cancelled.zip").string();
  CHECK_THROWS_AS(storage::writeZip(cancelled, members, {{}, [] { return true; }}), storage::ZipCancelled);
  CHECK_FALSE(std::filesystem::exists(cancelled));
  CHECK_FALSE(std::filesystem::exists(cancelled + ".part"));
  members.push_back({"missing.jpg", (dir / "missing.jpg").string(), {}, false, 0});
  CHECK_THROWS(storage::writeZip(cancelled, members));
  CHECK_FALSE(std::filesystem::exists(cancelled));
  std::filesystem::remove_all(dir);
}
