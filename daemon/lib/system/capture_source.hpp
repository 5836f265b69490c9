#pragma once
// The box's own camera (issue 18), behind a small interface so tests and the demo use a fake
// (there is no /dev/video* off a real box). The real source is libcamera (a build option,
// NESTBOX_LIBCAMERA): on Debian's kernels that means USB (UVC) cameras, which send MJPEG. A
// Raspberry Pi OS build links Raspberry Pi's own libcamera instead, for ribbon (CSI) cameras
// and the Pi 5, behind this same interface (README, "The box camera").
//
// Contract:
// - A source lists its cameras and starts one. Frames arrive at the sink on the source's
//   own thread (libcamera's completion signal fires on libcamera's thread), one at a time.
// - Frames are complete JPEG images (MJPEG), passed through as the camera made them: nothing
//   on the box decodes them except the media sandbox, when one becomes a still.
// - Destroying the stream stops the camera and releases it; no sink call runs once the
//   destructor has returned. It must not be destroyed from inside a sink call.
// - When the camera goes away (unplugged) or fails, the sink hears ended() once; the stream
//   must still be destroyed by its owner.

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace nestbox::system {

struct CameraInfo {
  std::string id;     // the source's own id (libcamera: the device path's id)
  std::string model;  // what people see: "HD Pro Webcam C920"
};

struct CaptureFrame {
  std::string mime = "image/jpeg";
  int width = 0;
  int height = 0;
  std::string bytes;
};

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // Called on the source's thread: must be quick and thread-safe.
  virtual void frame(CaptureFrame frame) = 0;
  virtual void ended(const std::string& reason) = 0;  // "unplugged" or what failed
};

class CaptureStream {
 public:
  virtual ~CaptureStream() = default;
};

// Cannot start the camera: gone, held by another program, or no format the box can pass on.
// The message is for people (the capture screen shows it).
struct CaptureError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CaptureSource {
 public:
  virtual ~CaptureSource() = default;
  virtual std::string kind() const = 0;  // "libcamera", "files", "none"
  virtual std::vector<CameraInfo> cameras() = 0;
  // Throws CaptureError.
  virtual std::unique_ptr<CaptureStream> start(const std::string& cameraId, FrameSink& sink) = 0;
};

// No camera at all (camera = none, or a build without libcamera).
std::unique_ptr<CaptureSource> makeNoCaptureSource();

// A camera made of the JPEG files in `directory` (sorted by name), sent one after another
// every `interval` from a thread of its own, as a real camera's frames arrive: the demo and
// the browser tests' camera. With no .jpg file there it lists no camera; files removed while
// it runs read as the camera being unplugged.
std::unique_ptr<CaptureSource> makeFileCaptureSource(std::string directory, std::chrono::milliseconds interval);

// libcamera's cameras (its CameraManager, started here). Throws CaptureError when this
// nestboxd was built without libcamera or its camera manager cannot start.
std::unique_ptr<CaptureSource> makeLibcameraCaptureSource();
bool libcameraBuilt();

}  // namespace nestbox::system
