// The box camera's capture station (issue 18) through a fake camera whose frames arrive on a
// thread of their own, as libcamera's do; the LED; the file-backed test camera; and the real
// libcamera source, which starts here and finds no camera.
#include <catch2/catch.hpp>

#include <filesystem>
#include <future>

#include "api_client.hpp"
#include "journal_setting.hpp"
#include "system/files.hpp"

using namespace nestbox;
using domain::ErrorKind;
using testing::Client;
using testing::fakeJpeg;
using testing::kindOf;
using testing::errorOf;

namespace {

// A sink for a camera that must not start.
struct IgnoredFrames final : system::FrameSink {
  void frame(system::CaptureFrame) override {}
  void ended(const std::string&) override {}
};

// The journal setting, with Kate on the setting's tablet and Lena (staff) on a second one.
struct CameraSetting : testing::JournalSetting {
  testing::TabletKey secondKey;
  std::string secondTablet;
  domain::Principal lena;

  CameraSetting() {
    s.addUser(manager, "lena", domain::Role::staff, "purple kite flying");
    secondTablet = s.devices.enrol(s.devices.create(manager, "Garden iPad", std::nullopt).code, secondKey.publicKey(), s.origin).id;
    const auto challenge = s.devices.challenge(secondTablet);
    lena = s.sessions.signIn("lena", "purple kite flying", s.origin, domain::DeviceProof{secondTablet, challenge, secondKey.sign(challenge)})
               .principal;
  }
};

}  // namespace

TEST_CASE("the box camera previews on one staff tablet: frames from the camera's thread, kept in memory only") {
  CameraSetting t;
  auto& s = t.s;
  const auto session = s.station.open(t.staff);
  CHECK(session.mine);
  CHECK(session.model == "Logitech C920");
  CHECK(session.holder.deviceName == "Tablet");
  CHECK(s.camera.running());
  CHECK(s.station.running());
  CHECK(s.auditCount("NBX_CAMERA_PREVIEW_STARTED") == 1);

  // Nothing from the camera yet: no frame, not an error.
  CHECK(s.station.preview(t.staff).bytes.empty());
  s.camera.deliver(fakeJpeg(640, 480, "first"));
  const auto first = s.station.preview(t.staff);
  CHECK(first.bytes == fakeJpeg(640, 480, "first"));
  // Whatever is not a JPEG image is never passed on.
  s.camera.deliver("not a picture at all");
  CHECK(s.station.preview(t.staff).sequence == first.sequence);
  s.camera.deliver(fakeJpeg(640, 480, "second"));
  CHECK(s.station.preview(t.staff).bytes == fakeJpeg(640, 480, "second"));

  // Preview frames are never written anywhere: the media directory has no file.
  CHECK(s.store.mediaHashes().empty());

  s.station.close(t.staff);
  CHECK_FALSE(s.camera.running());
  CHECK_FALSE(s.station.running());
  CHECK(s.auditCount("NBX_CAMERA_PREVIEW_STOPPED") == 1);
  // Closed: no frame for anyone, not even the last one.
  CHECK(errorOf([&] { s.station.preview(t.staff); }).code == "camera_not_open");
}

TEST_CASE("a still is the camera's next frame, uploaded as from the holder's tablet, and audited") {
  CameraSetting t;
  auto& s = t.s;
  s.station.open(t.staff);
  s.camera.deliver(fakeJpeg(1920, 1080, "shown in the preview"));
  // The still waits for the frame after the press, which the camera completes on its thread.
  auto still = std::async(std::launch::async, [&] { return s.station.capture(t.staff); });
  while (still.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
    s.camera.deliver(fakeJpeg(1920, 1080, "after the press"));
  }
  const auto m = still.get();
  CHECK(m.uploadedBy == t.staff.userId);
  CHECK(m.kind == "image");
  REQUIRE(m.sha256);
  // The fake processor marks what it stored: the frame after the press, metadata stripped.
  CHECK(system::readFile(s.mediaFiles.objectPath(*m.sha256)) == fakeJpeg(1920, 1080, "after the press") + "[stripped]");
  CHECK(s.processor.stored == 1);  // through the media processor (the sandbox, on the box)
  CHECK(s.auditCount("NBX_CAMERA_STILL_CAPTURED") == 1);
  CHECK(s.auditCount("NBX_MEDIA_RECEIVED") == 1);

  // It joins an entry like any upload: tagged, consent-checked, seen by that child's family.
  CHECK(errorOf([&] {
          s.journal.create(t.staff, {"observation", "journal", std::nullopt, "Painting", "", "", "2026-05-20", {t.a.id}, {},
                                     {{m.id, {t.a.id}}}});
        }).code == "no_photo_consent");
  s.children.recordConsent(t.manager, t.a.id, {true, false, false, ""});
  s.clock.advance(1);
  const auto entry = s.journal.create(t.staff, {"observation", "journal", std::nullopt, "Painting", "Ava painted a sun.", "",
                                                "2026-05-20", {t.a.id}, {}, {{m.id, {t.a.id}}}});
  CHECK(s.media.locate(t.parentA, m.id, domain::MediaVariant::display).mime == "image/jpeg");
  CHECK(kindOf([&] { s.media.locate(t.parentB, m.id, domain::MediaVariant::display); }) == ErrorKind::notFound);
  CHECK_FALSE(entry.entry.id.empty());
}

TEST_CASE("a still when the camera sends nothing is refused with a reason, and audited") {
  CameraSetting t;
  auto& s = t.s;
  domain::CaptureStation quick(s.ctx, s.camera, s.children, s.access, s.media, s.lockdown, s.store,
                               {60, 15, std::chrono::milliseconds(30)});
  quick.open(t.staff);
  CHECK(errorOf([&] { quick.capture(t.staff); }).code == "camera_no_frame");
  CHECK(s.auditCount("NBX_CAMERA_CAPTURE_FAILED") == 1);
  CHECK(s.processor.stored == 0);
  quick.stopAll("box_stopping");
}

TEST_CASE("the camera is one tablet's at a time: 409 naming who has it; only staff at a recording place") {
  CameraSetting t;
  auto& s = t.s;
  s.station.open(t.staff);
  const auto busy = errorOf([&] { s.station.open(t.lena); });
  CHECK(busy.kind == ErrorKind::conflict);
  CHECK(busy.code == "camera_in_use");
  CHECK(busy.details["held_by"] == "Name of kate");
  CHECK(busy.details["device"] == "Tablet");
  CHECK(std::string(busy.what()).find("Name of kate") != std::string::npos);
  // Lena cannot see, touch, shoot or stop Kate's camera.
  CHECK(errorOf([&] { s.station.preview(t.lena); }).code == "camera_not_open");
  CHECK(errorOf([&] { s.station.capture(t.lena); }).code == "camera_not_open");
  CHECK(errorOf([&] { s.station.touch(t.lena); }).code == "camera_not_open");
  s.station.close(t.lena);  // her screen closing stops nothing of Kate's
  CHECK(kindOf([&] { s.station.close(t.lena, true); }) == ErrorKind::forbidden);
  CHECK(s.camera.running());
  // The status says who has it, and that it is not Lena's.
  const auto seen = s.station.status(t.lena);
  REQUIRE(seen.session);
  CHECK_FALSE(seen.session->mine);
  CHECK(seen.session->holder.name == "Name of kate");
  // Kate's tablet opening again (a reload) keeps it.
  CHECK(s.station.open(t.staff).mine);
  CHECK(s.camera.starts == 1);

  // Parents never reach it; staff away from a registered tablet cannot start it.
  CHECK(kindOf([&] { s.station.status(t.parentA); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { s.station.open(t.parentA); }) == ErrorKind::forbidden);
  auto unregistered = t.staff;  // Kate's session, were it not bound to a registered tablet
  unregistered.deviceId.reset();
  s.station.close(t.staff);
  CHECK(kindOf([&] { s.station.open(unregistered); }) == ErrorKind::forbidden);
  CHECK(s.auditCount("NBX_CAMERA_REFUSED_PLACE") == 1);

  // A manager may stop anyone's preview, when they say so; the holder is told why.
  s.station.open(t.lena);
  s.station.close(t.manager);
  CHECK(s.camera.running());
  s.station.close(t.manager, true);
  CHECK_FALSE(s.camera.running());
  CHECK(s.station.status(t.lena).stoppedReason == "stopped_by_manager");
  CHECK(errorOf([&] { s.station.preview(t.lena); }).details["reason"] == "stopped_by_manager");
}

TEST_CASE("no camera, or a camera another program holds: the station says so") {
  CameraSetting t;
  auto& s = t.s;
  s.camera.busyElsewhere = true;
  const auto held = errorOf([&] { s.station.open(t.staff); });
  CHECK(held.code == "camera_unavailable");
  CHECK(std::string(held.what()).find("another program") != std::string::npos);
  CHECK_FALSE(s.station.running());
  s.camera.busyElsewhere = false;
  s.camera.attached.clear();
  const auto none = errorOf([&] { s.station.open(t.staff); });
  CHECK(none.code == "no_camera");
  CHECK(std::string(none.what()).find("No camera is connected") != std::string::npos);
  CHECK(s.station.status(t.staff).cameras.empty());
}

TEST_CASE("a camera unplugged mid-preview stops it, releases the camera and says why") {
  CameraSetting t;
  auto& s = t.s;
  s.station.open(t.staff);
  s.camera.deliver(fakeJpeg(640, 480));
  // A still waiting for its frame gives up when the camera goes.
  auto still = std::async(std::launch::async, [&] { return errorOf([&] { s.station.capture(t.staff); }); });
  while (still.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
    if (s.camera.running()) s.camera.unplug();
  }
  const auto error = still.get();
  CHECK(error.code == "camera_not_open");
  CHECK(error.details["reason"] == "unplugged");
  CHECK_FALSE(s.camera.running());
  CHECK_FALSE(s.station.running());
  CHECK(s.station.status(t.staff).stoppedReason == "unplugged");
  CHECK(s.auditCount("NBX_CAMERA_PREVIEW_STOPPED") == 1);
  CHECK(errorOf([&] { s.station.open(t.staff); }).code == "no_camera");
}

TEST_CASE("the camera runs only while its screen is used: a minute without a touch, or the screen gone, stops it") {
  CameraSetting t;
  auto& s = t.s;
  s.station.open(t.staff);
  // The screen asks for frames and is touched now and then: it runs on past a minute.
  for (int i = 0; i < 9; ++i) {
    s.clock.advance(10);
    s.station.preview(t.staff);
    if (i == 4) s.station.touch(t.staff);
    s.station.tick();
  }
  CHECK(s.station.running());
  // Frames asked for, but nobody touched the screen for a minute.
  for (int i = 0; i < 6 && s.station.running(); ++i) {
    s.clock.advance(10);
    s.station.preview(t.staff);
    s.station.tick();
  }
  CHECK_FALSE(s.station.running());
  CHECK(s.station.status(t.staff).stoppedReason == "idle");

  // The screen closed without saying so (the tablet slept): no frame asked for 15 seconds.
  s.station.open(t.staff);
  CHECK(s.station.status(t.staff).stoppedReason.empty());
  s.clock.advance(14);
  s.station.tick();
  CHECK(s.station.running());
  s.clock.advance(1);
  s.station.tick();
  CHECK_FALSE(s.station.running());
  CHECK_FALSE(s.camera.running());
  CHECK(s.station.status(t.staff).stoppedReason == "screen_closed");
}

TEST_CASE("a lockdown stops the camera at once and keeps it off until lifted") {
  CameraSetting t;
  auto& s = t.s;
  s.lockdown.onEngaged([&] { s.station.stopAll("lockdown"); });  // as the daemon wires it
  s.station.open(t.staff);
  s.lockdown.engage(t.manager, "A tablet was left in the park");
  CHECK_FALSE(s.camera.running());  // at once, not at the next tick
  CHECK_FALSE(s.station.running());
  CHECK(errorOf([&] { s.station.open(t.lena); }).code == "locked_down");
  CHECK(s.auditCount("NBX_CAMERA_PREVIEW_STOPPED") == 1);
  storage::AuditQuery q;
  q.event = "NBX_CAMERA_PREVIEW_STOPPED";
  CHECK(s.store.audit(q).front().detail.find("\"lockdown\"") != std::string::npos);
}

TEST_CASE("a lockdown engaged by another process stops the camera at the next tick") {
  CameraSetting t;
  auto& s = t.s;
  s.station.open(t.staff);
  domain::LockdownService elsewhere(s.ctx, s.store, s.settings);  // nestboxctl: no hook here
  elsewhere.engageLocally("cli", "console", "Suspected fault");
  CHECK(s.camera.running());
  s.station.tick();
  CHECK_FALSE(s.camera.running());
  CHECK(s.station.status(t.staff).stoppedReason == "lockdown");
}

TEST_CASE("the box's LED: steady in a lockdown, blinking while the camera runs, off otherwise") {
  struct Row {
    bool lockedDown, camera;
    int64_t ms;
    bool lit;
  };
  for (const auto& r : {Row{false, false, 0, false}, Row{false, false, 600, false}, Row{true, false, 0, true},
                        Row{true, false, 700, true}, Row{true, true, 700, true}, Row{false, true, 100, true},
                        Row{false, true, 600, false}, Row{false, true, 1100, true}}) {
    CHECK(domain::panelLight(r.lockedDown, r.camera, r.ms) == r.lit);
  }
  CameraSetting t;
  auto& s = t.s;
  struct Led final : system::OutputLine {
    std::vector<bool> writes;
    void set(bool on) override { writes.push_back(on); }
  } led;
  domain::LockdownPanel panel(s.lockdown, nullptr, &led, [&] { return s.station.running(); });
  int64_t now = 0;
  for (int i = 0; i < 50; ++i) panel.tick(now += 20);
  CHECK(led.writes == std::vector<bool>{false});
  s.station.open(t.staff);
  for (int i = 0; i < 100; ++i) panel.tick(now += 20);  // 1.02 s to 3 s: on, off, on, off, on
  CHECK(led.writes == std::vector<bool>{false, true, false, true, false, true});
  s.station.close(t.staff);
  for (int i = 0; i < 50; ++i) panel.tick(now += 20);
  CHECK_FALSE(led.writes.back());
}

TEST_CASE("the camera's API: staff only, frames as JPEG never cached, stills as media, 503 in a lockdown") {
  CameraSetting t;
  auto& s = t.s;
  Client kate{s}, parent{s};
  REQUIRE(kate.signIn("kate", "green apple orchard").status == 200);
  REQUIRE(parent.signInUnregistered("parent.a", "blue whale singing").status == 200);
  CHECK(parent.call("GET", "/api/v1/camera").status == 403);
  CHECK(parent.call("POST", "/api/v1/camera/session").status == 403);
  CHECK(parent.call("GET", "/api/v1/camera/preview").status == 403);

  auto status = kate.json(kate.call("GET", "/api/v1/camera"));
  CHECK(status["camera"]["cameras"].size() == 1);
  CHECK(status["camera"]["session"].is_null());
  CHECK(kate.call("GET", "/api/v1/camera/preview").status == 409);
  auto opened = kate.call("POST", "/api/v1/camera/session");
  REQUIRE(opened.status == 201);
  CHECK(kate.json(opened)["session"]["mine"] == true);
  CHECK(kate.call("GET", "/api/v1/camera/preview").status == 204);  // nothing from the camera yet
  s.camera.deliver(fakeJpeg(640, 480));
  const auto frame = kate.call("GET", "/api/v1/camera/preview");
  CHECK(frame.status == 200);
  CHECK(testing::headerOf(frame, "Content-Type") == "image/jpeg");
  CHECK(testing::headerOf(frame, "Cache-Control") == "no-store");
  CHECK(frame.body == fakeJpeg(640, 480));
  CHECK(kate.call("POST", "/api/v1/camera/session/touch").status == 200);
  CHECK(kate.call("POST", "/api/v1/camera/session", "[1]").status == 400);

  auto shot = std::async(std::launch::async, [&] { return kate.call("POST", "/api/v1/camera/capture"); });
  while (shot.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) s.camera.deliver(fakeJpeg(800, 600));
  const auto captured = shot.get();
  REQUIRE(captured.status == 201);
  CHECK(kate.json(captured)["media"]["kind"] == "image");

  s.lockdown.engage(t.manager, "Fault");
  CHECK(kate.call("GET", "/api/v1/camera/preview").status == 503);
  s.station.tick();
  CHECK_FALSE(s.camera.running());
}

TEST_CASE("the file-backed test camera sends its pictures from its own thread and is unplugged when they go") {
  const auto dir = testing::tempDir("file-camera");
  auto source = system::makeFileCaptureSource(dir, std::chrono::milliseconds(5));
  CHECK(source->cameras().empty());
  IgnoredFrames ignored;
  CHECK_THROWS_AS(source->start("files", ignored), system::CaptureError);
  system::writeFileAtomic(dir + "/a.jpg", fakeJpeg(10, 10, "a"), 0644);
  system::writeFileAtomic(dir + "/b.jpg", fakeJpeg(10, 10, "b"), 0644);
  REQUIRE(source->cameras().size() == 1);

  struct Sink final : system::FrameSink {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> frames;
    std::string endedReason;
    std::thread::id thread;
    void frame(system::CaptureFrame f) override {
      std::lock_guard lock(mutex);
      frames.push_back(f.bytes);
      thread = std::this_thread::get_id();
      changed.notify_all();
    }
    void ended(const std::string& reason) override {
      std::lock_guard lock(mutex);
      endedReason = reason;
      changed.notify_all();
    }
  } sink;
  auto stream = source->start("files", sink);
  {
    std::unique_lock lock(sink.mutex);
    REQUIRE(sink.changed.wait_for(lock, std::chrono::seconds(10), [&] { return sink.frames.size() >= 3; }));
    CHECK(sink.frames[0] == fakeJpeg(10, 10, "a"));
    CHECK(sink.frames[1] == fakeJpeg(10, 10, "b"));
    CHECK(sink.thread != std::this_thread::get_id());
  }
  std::filesystem::remove(dir + "/a.jpg");
  std::filesystem::remove(dir + "/b.jpg");
  {
    std::unique_lock lock(sink.mutex);
    REQUIRE(sink.changed.wait_for(lock, std::chrono::seconds(10), [&] { return !sink.endedReason.empty(); }));
    CHECK(sink.endedReason == "unplugged");
  }
  stream.reset();
}

TEST_CASE("the libcamera source starts here and reports no camera cleanly") {
  if (!system::libcameraBuilt()) {
    CHECK_THROWS_AS(system::makeLibcameraCaptureSource(), system::CaptureError);
    return;
  }
  auto source = system::makeLibcameraCaptureSource();
  auto second = system::makeLibcameraCaptureSource();  // one camera manager per process, shared
  CHECK(source->kind() == "libcamera");
  std::error_code ec;
  bool videoDevices = false;
  for (const auto& e : std::filesystem::directory_iterator("/dev", ec)) {
    videoDevices = videoDevices || e.path().filename().string().rfind("video", 0) == 0;
  }
  if (!videoDevices) {  // this sandbox, CI: libcamera starts and lists nothing
    CHECK(source->cameras().empty());
    CHECK(second->cameras().empty());
    IgnoredFrames ignored;
    CHECK_THROWS_AS(source->start("no-such-camera", ignored), system::CaptureError);
  }
}
