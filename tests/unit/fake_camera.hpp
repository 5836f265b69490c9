#pragma once
// A camera for domain tests, standing in for libcamera: its frames and its "unplugged" signal
// arrive on a thread of their own, as libcamera's completion signal does; it can be busy in
// another program, list no camera, or vanish mid-preview. It keeps the source's contract: no
// sink call once a stream's destructor has returned.

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "system/capture_source.hpp"

namespace nestbox::testing {

class FakeCamera final : public system::CaptureSource {
 public:
  std::vector<system::CameraInfo> attached{{"usb-1", "Logitech C920"}};
  bool busyElsewhere = false;  // start() fails as when another program holds the device
  int starts = 0;

  std::string kind() const override { return "fake"; }
  std::vector<system::CameraInfo> cameras() override { return attached; }

  std::unique_ptr<system::CaptureStream> start(const std::string& cameraId, system::FrameSink& sink) override {
    bool known = false;
    for (const auto& c : attached) known = known || c.id == cameraId;
    if (!known) throw system::CaptureError("The camera is not connected any more.");
    if (busyElsewhere) throw system::CaptureError("The camera is in use by another program on the box.");
    ++starts;
    std::lock_guard lock(mutex_);
    sink_ = &sink;
    return std::make_unique<Stream>(*this);
  }

  bool running() {
    std::lock_guard lock(mutex_);
    return sink_ != nullptr;
  }

  // A frame completed by the camera, delivered from another thread (joined before returning).
  void deliver(std::string bytes) {
    std::thread([this, bytes = std::move(bytes)]() mutable {
      std::lock_guard lock(mutex_);
      if (sink_) sink_->frame({"image/jpeg", 640, 480, std::move(bytes)});
    }).join();
  }

  // The camera unplugged: libcamera's "disconnected", from its thread.
  void unplug() {
    attached.clear();
    std::thread([this] {
      std::lock_guard lock(mutex_);
      if (sink_) sink_->ended("unplugged");
    }).join();
  }

 private:
  struct Stream final : system::CaptureStream {
    explicit Stream(FakeCamera& camera) : camera(camera) {}
    ~Stream() override {
      std::lock_guard lock(camera.mutex_);
      camera.sink_ = nullptr;
    }
    FakeCamera& camera;
  };
  std::mutex mutex_;
  system::FrameSink* sink_ = nullptr;
};

}  // namespace nestbox::testing
