#include "domain/capture_station.hpp"

#include "core/log.hpp"
#include "domain/errors.hpp"
#include "system/clock.hpp"

namespace nestbox::domain {
namespace {

std::string stoppedMessage(const std::string& reason) {
  if (reason == "idle") return "The camera stopped after a minute without a touch. Start it again to carry on.";
  if (reason == "screen_closed") return "The camera stopped because the capture screen was closed.";
  if (reason == "unplugged") return "The camera was unplugged from the box. Plug it in again, then start the camera.";
  if (reason == "lockdown") return "The camera stopped because the box was locked down.";
  if (reason == "stopped_by_manager") return "A manager stopped the camera.";
  if (reason == "failed") return "The camera stopped working. Unplug it, plug it in again, then start the camera.";
  return "Start the camera first.";
}

bool looksLikeJpeg(const std::string& bytes) {
  return bytes.size() > 4 && static_cast<unsigned char>(bytes[0]) == 0xFF && static_cast<unsigned char>(bytes[1]) == 0xD8;
}

}  // namespace

CaptureStation::CaptureStation(Context& ctx, system::CaptureSource& source, ChildrenService& children,
                               AccessPolicy& access, MediaService& media, LockdownService& lockdown,
                               storage::DeviceStore& devices, CaptureOptions options)
    : ctx_(ctx), source_(source), children_(children), access_(access), media_(media), lockdown_(lockdown),
      devices_(devices), options_(options) {}

CaptureStation::~CaptureStation() {
  std::lock_guard lock(mutex_);
  stream_.reset();
  running_ = false;
}

// The camera's thread: keep the newest frame, drop anything that is not a JPEG image.
void CaptureStation::frame(system::CaptureFrame frame) {
  if (!looksLikeJpeg(frame.bytes)) return;
  {
    std::lock_guard lock(frameMutex_);
    latest_ = std::move(frame.bytes);
    ++sequence_;
  }
  frameArrived_.notify_all();
}

void CaptureStation::ended(const std::string& reason) {
  {
    std::lock_guard lock(frameMutex_);
    endedReason_ = reason.empty() ? "failed" : reason;
  }
  frameArrived_.notify_all();
}

void CaptureStation::reapEndedLocked() {
  std::string reason;
  {
    std::lock_guard lock(frameMutex_);
    reason = endedReason_;
  }
  if (!reason.empty() && stream_) stopLocked(reason == "unplugged" ? reason : "failed");
}

void CaptureStation::stopLocked(const std::string& reason) {
  if (!stream_ && !holder_) return;
  // The camera stops before anything else: no frame arrives once this returns.
  stream_.reset();
  running_ = false;
  {
    std::lock_guard lock(frameMutex_);
    latest_.clear();
    endedReason_.clear();
    ++generation_;
  }
  frameArrived_.notify_all();
  if (!holder_) return;
  if (reason != "closed") stoppedReasons_[holderKey(holder_->userId, holder_->deviceId)] = reason;
  ctx_.audit.record(Event::CameraPreviewStopped, holderActor_, std::nullopt,
                    {{"reason", reason}, {"camera", model_}, {"seconds", ctx_.clock.now() - holder_->since},
                     {"stills", captures_}});
  holder_.reset();
}

bool CaptureStation::holdsLocked(const Principal& p) const {
  return holder_ && holder_->userId == p.userId && p.deviceId && holder_->deviceId == *p.deviceId;
}

CameraSession CaptureStation::sessionLocked(const Principal& p) const {
  return {*holder_, model_, holdsLocked(p), holder_->lastTouch + options_.idleSeconds};
}

void CaptureStation::throwNotOpen(const Principal& p) {
  const auto found = stoppedReasons_.find(holderKey(p));
  const std::string reason = found == stoppedReasons_.end() ? "" : found->second;
  throw DomainError(ErrorKind::conflict, "camera_not_open", stoppedMessage(reason)).withDetails({{"reason", reason}});
}

CameraStatus CaptureStation::status(const Principal& p) {
  children_.requireStaff(p);
  CameraStatus s;
  s.source = source_.kind();
  s.cameras = source_.cameras();
  std::lock_guard lock(mutex_);
  reapEndedLocked();
  if (holder_) s.session = sessionLocked(p);
  if (!s.session || !s.session->mine) {
    const auto found = stoppedReasons_.find(holderKey(p));
    if (found != stoppedReasons_.end()) s.stoppedReason = found->second;
  }
  return s;
}

CameraSession CaptureStation::open(const Principal& p) {
  children_.requireStaff(p);
  access_.requireRecordingPlace(p, Event::CameraRefusedPlace);
  if (lockdown_.engaged()) {
    throw DomainError(ErrorKind::conflict, "locked_down", "The box is locked down; the camera stays off until a manager lifts it.");
  }
  std::lock_guard lock(mutex_);
  reapEndedLocked();
  const int64_t now = ctx_.clock.now();
  if (holder_) {
    if (holdsLocked(p)) {  // the same tablet again (the screen reloaded): keep it
      holder_->lastTouch = lastPreview_ = now;
      return sessionLocked(p);
    }
    logEvent(Event::CameraBusyRefused, {{"device", p.deviceId.value_or("")}});
    throw DomainError(ErrorKind::conflict, "camera_in_use",
                      "The box camera is in use by " + holder_->name + " on " + holder_->deviceName +
                          ". It is free again when they close the capture screen, or a minute after their last touch.")
        .withDetails({{"held_by", holder_->name},
                      {"device", holder_->deviceName},
                      {"since", system::formatTimestamp(holder_->since)}});
  }
  const auto cameras = source_.cameras();
  if (cameras.empty()) {
    throw DomainError(ErrorKind::conflict, "no_camera",
                      "No camera is connected to the box. Plug a USB camera into the box; if one is plugged in, "
                      "IT support can check it with 'nestboxctl camera status'.");
  }
  try {
    stream_ = source_.start(cameras.front().id, *this);
  } catch (const system::CaptureError& e) {
    ctx_.audit.record(Event::CameraCaptureFailed, AuditActor::of(p), std::nullopt,
                      {{"camera", cameras.front().model}, {"error", e.what()}});
    throw DomainError(ErrorKind::conflict, "camera_unavailable", e.what());
  }
  running_ = true;
  const auto device = devices_.device(*p.deviceId);
  holder_ = CameraHolder{p.userId, p.displayName, *p.deviceId, device ? device->name : "a tablet", now, now};
  holderActor_ = AuditActor::of(p);
  model_ = cameras.front().model;
  lastPreview_ = now;
  captures_ = 0;
  stoppedReasons_.erase(holderKey(p));
  ctx_.audit.record(Event::CameraPreviewStarted, holderActor_, std::nullopt, {{"camera", model_}});
  return sessionLocked(p);
}

CameraSession CaptureStation::touch(const Principal& p) {
  children_.requireStaff(p);
  std::lock_guard lock(mutex_);
  reapEndedLocked();
  if (!holdsLocked(p)) throwNotOpen(p);
  holder_->lastTouch = ctx_.clock.now();
  return sessionLocked(p);
}

void CaptureStation::close(const Principal& p, bool anyone) {
  children_.requireStaff(p);
  if (anyone && p.role != Role::manager) {
    throw DomainError(ErrorKind::forbidden, "manager_only", "Only a manager can stop the camera on another tablet.");
  }
  std::lock_guard lock(mutex_);
  reapEndedLocked();
  if (holdsLocked(p)) {
    stopLocked("closed");
  } else if (anyone && holder_) {
    stopLocked("stopped_by_manager");
  }
}

PreviewFrame CaptureStation::preview(const Principal& p) {
  children_.requireStaff(p);
  std::lock_guard lock(mutex_);
  reapEndedLocked();
  if (!holdsLocked(p)) throwNotOpen(p);
  lastPreview_ = ctx_.clock.now();
  std::lock_guard frames(frameMutex_);
  return {latest_, sequence_};
}

storage::MediaRecord CaptureStation::capture(const Principal& p) {
  children_.requireStaff(p);
  int64_t after = 0, generation = 0;
  std::string model;
  {
    std::lock_guard lock(mutex_);
    reapEndedLocked();
    if (!holdsLocked(p)) throwNotOpen(p);
    holder_->lastTouch = lastPreview_ = ctx_.clock.now();
    model = model_;
    std::lock_guard frames(frameMutex_);
    after = sequence_;
    generation = generation_;
  }
  // The frame after the press: what the camera sees now, not what the preview last showed.
  // Waited for without the session lock, so the preview and the daemon's tick go on.
  std::string still;
  {
    std::unique_lock frames(frameMutex_);
    frameArrived_.wait_for(frames, options_.stillWait, [&] {
      return sequence_ > after || generation_ != generation || !endedReason_.empty();
    });
    if (sequence_ > after && generation_ == generation && endedReason_.empty()) still = latest_;
  }
  if (still.empty()) {
    std::lock_guard lock(mutex_);
    reapEndedLocked();
    ctx_.audit.record(Event::CameraCaptureFailed, AuditActor::of(p), std::nullopt,
                      {{"camera", model}, {"error", holdsLocked(p) ? "no frame from the camera" : "stopped"}});
    if (!holdsLocked(p)) throwNotOpen(p);
    throw DomainError(ErrorKind::conflict, "camera_no_frame",
                      "The camera sent no picture. Check it is plugged in and not covered, then try again.");
  }
  // Into the media pipeline exactly as an upload from this tablet: its rules, its checks.
  const auto length = static_cast<int64_t>(still.size());
  const auto upload = media_.createUpload(p, length, "Box camera photo.jpg");
  auto append = media_.append(p, upload.id, 0, length, std::nullopt);
  append->write(still);
  const auto done = append->finish();
  auto record = media_.get(p, done.id);
  {
    std::lock_guard lock(mutex_);
    if (holdsLocked(p)) ++captures_;
  }
  ctx_.audit.record(Event::CameraStillCaptured, AuditActor::of(p), AuditTarget{"media", record.id},
                    {{"camera", model}, {"bytes", length}});
  return record;
}

void CaptureStation::tick() {
  std::lock_guard lock(mutex_);
  reapEndedLocked();
  if (!holder_) return;
  const int64_t now = ctx_.clock.now();
  if (lockdown_.engaged()) {
    stopLocked("lockdown");
  } else if (now - holder_->lastTouch >= options_.idleSeconds) {
    stopLocked("idle");
  } else if (now - lastPreview_ >= options_.screenGoneSeconds) {
    stopLocked("screen_closed");
  }
}

void CaptureStation::stopAll(const std::string& reason) {
  std::lock_guard lock(mutex_);
  stopLocked(reason);
}

}  // namespace nestbox::domain
