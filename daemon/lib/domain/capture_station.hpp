#pragma once
// The capture station (issue 18): staff on a registered tablet use the box's own camera to
// photograph artwork, so the picture never exists anywhere but on the box.
//
// A camera in a room of children is treated as one:
// - One tablet at a time. The camera runs only while that tablet's capture screen is open:
//   it stops a minute after the last touch, soon after the screen stops asking for frames
//   (closed, or the tablet asleep), when the camera is unplugged, and at once on a lockdown.
// - Starting, stopping (with why) and every still are audited.
// - Preview frames are kept in memory, the latest one only, and handed to the holder's
//   tablet as the camera made them (JPEG): never decoded on the box, never stored.
// - A still enters the media pipeline exactly as an upload from the holder's tablet would:
//   the same place rule, space check, sniffing, sandboxed processing (metadata stripped,
//   derivatives) and, when staff attach it to an entry, child tags and consent.
//
// Threads: frames and "ended" arrive on the camera's thread (system::FrameSink); API calls on
// the server's threads; tick() on the daemon's loop. The camera is only ever stopped from the
// latter two, never from inside a frame callback.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/children.hpp"
#include "domain/context.hpp"
#include "domain/lockdown.hpp"
#include "domain/media.hpp"
#include "storage/device_store.hpp"
#include "system/capture_source.hpp"

namespace nestbox::domain {

struct CaptureOptions {
  int64_t idleSeconds = 60;        // no touch on the capture screen for this long: stopped
  int64_t screenGoneSeconds = 15;  // no preview asked for this long: the screen is gone
  std::chrono::milliseconds stillWait{5000};  // how long a still waits for the camera's next frame
};

struct CameraHolder {
  std::string userId;
  std::string name;        // the staff member's display name
  std::string deviceId;
  std::string deviceName;  // "Blue room iPad"
  int64_t since = 0;
  int64_t lastTouch = 0;
};

struct CameraSession {
  CameraHolder holder;
  std::string model;  // the camera's name
  bool mine = false;  // held by the caller's tablet
  int64_t idleStopsAt = 0;
};

struct CameraStatus {
  std::string source;  // "libcamera", "files", "none"
  std::vector<system::CameraInfo> cameras;
  std::optional<CameraSession> session;
  // Why the caller's own last preview stopped, when it stopped without them: "idle",
  // "screen_closed", "unplugged", "lockdown", "stopped_by_manager", "failed". Empty otherwise.
  std::string stoppedReason;
};

struct PreviewFrame {
  std::string bytes;  // JPEG; empty while the camera has sent nothing yet
  int64_t sequence = 0;
};

class CaptureStation final : private system::FrameSink {
 public:
  CaptureStation(Context& ctx, system::CaptureSource& source, ChildrenService& children, AccessPolicy& access,
                 MediaService& media, LockdownService& lockdown, storage::DeviceStore& devices, CaptureOptions options = {});
  ~CaptureStation() override;  // stops the camera, unaudited: call stopAll() first

  // Staff: the cameras, who has the camera, and why the caller's preview stopped.
  CameraStatus status(const Principal& p);
  // Staff on a registered tablet at a recording place: starts the preview for that tablet.
  // Conflict: camera_in_use (details name who), no_camera, camera_unavailable, locked_down.
  // Opening again from the tablet that has it keeps it.
  CameraSession open(const Principal& p);
  // The holder touched the capture screen: the idle minute starts again.
  CameraSession touch(const Principal& p);
  // The caller's screen closes: stops the preview if it is the caller's tablet's, else
  // nothing (a late close from an old screen never stops someone else's). With `anyone`, a
  // manager stops whoever has it (forbidden for staff).
  void close(const Principal& p, bool anyone = false);
  // The holder's latest frame. Conflict camera_not_open (with the reason it stopped) for
  // anyone else or when it has stopped.
  PreviewFrame preview(const Principal& p);
  // The holder: the camera's next frame becomes a still in the media pipeline, uploaded as
  // from the holder's tablet. Returns its media record (processing).
  storage::MediaRecord capture(const Principal& p);

  // Once a second: stops an unplugged camera, an idle or abandoned preview, and any preview
  // during a lockdown (engaged in another process, e.g. nestboxctl, is seen here).
  void tick();
  // Stops any preview now, audited with `reason`: "lockdown" (engaged in this process) or
  // "box_stopping" (the daemon, before its database closes).
  void stopAll(const std::string& reason);
  // Whether the camera runs (the box's LED shows it). Any thread.
  bool running() const { return running_; }

 private:
  void frame(system::CaptureFrame frame) override;
  void ended(const std::string& reason) override;

  // With mutex_ held.
  void stopLocked(const std::string& reason);
  void reapEndedLocked();
  bool holdsLocked(const Principal& p) const;
  CameraSession sessionLocked(const Principal& p) const;
  [[noreturn]] void throwNotOpen(const Principal& p);
  static std::string holderKey(const std::string& userId, const std::string& deviceId) { return userId + "/" + deviceId; }
  static std::string holderKey(const Principal& p) { return holderKey(p.userId, p.deviceId.value_or("")); }

  Context& ctx_;
  system::CaptureSource& source_;
  ChildrenService& children_;
  AccessPolicy& access_;
  MediaService& media_;
  LockdownService& lockdown_;
  storage::DeviceStore& devices_;
  CaptureOptions options_;

  std::mutex mutex_;  // the session; never taken by frame callbacks
  std::optional<CameraHolder> holder_;
  AuditActor holderActor_;
  std::string model_;
  int64_t lastPreview_ = 0;
  int captures_ = 0;
  std::unique_ptr<system::CaptureStream> stream_;
  std::map<std::string, std::string> stoppedReasons_;  // user and tablet -> why their preview stopped
  std::atomic<bool> running_{false};

  std::mutex frameMutex_;  // what the camera's thread writes
  std::condition_variable frameArrived_;
  std::string latest_;
  int64_t sequence_ = 0;
  int64_t generation_ = 0;  // changes when a preview stops: a still waiting for a frame gives up
  std::string endedReason_;
};

}  // namespace nestbox::domain
