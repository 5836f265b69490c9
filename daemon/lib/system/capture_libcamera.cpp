// The libcamera capture source (NESTBOX_LIBCAMERA=ON). The call sequence follows libcamera's
// own `cam` application (src/apps/cam/camera_session.cpp): acquire, generateConfiguration,
// validate, configure, FrameBufferAllocator, createRequest/addBuffer, start, queueRequest.
//
// Only MJPEG is asked for: USB (UVC) cameras give it, and the box passes those frames on to
// the tablet without decoding them. A camera that offers no MJPEG (a CSI sensor on Raspberry
// Pi OS gives YUV) is refused with a message saying so; README "The box camera" says what a
// build for such cameras adds.

#include <stdlib.h>
#include <sys/mman.h>

#include <libcamera/libcamera.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

#include "core/log.hpp"
#include "system/capture_source.hpp"

namespace nestbox::system {
namespace {

// A UVC camera sends up to 30 frames a second; the tablet shows a few, and a photo wants the
// next one after the press. Frames closer together than this are given back to the camera
// uncopied, which spares a Pi's memory bandwidth (a 1080p MJPEG frame is a few hundred KiB).
constexpr auto kFrameInterval = std::chrono::milliseconds(100);

// The largest frame asked for: 4K is more than artwork needs, and bounds the memory a frame
// takes (the media pipeline's pixel limit is far above it).
constexpr unsigned kMaxWidth = 3840;
constexpr unsigned kMaxHeight = 2160;

std::string modelOf(const libcamera::Camera& camera) {
  const auto model = camera.properties().get(libcamera::properties::Model);
  if (model && !model->empty()) return *model;
  return camera.id();
}

class LibcameraStream final : public CaptureStream {
 public:
  LibcameraStream(std::shared_ptr<libcamera::Camera> camera, FrameSink& sink) : camera_(std::move(camera)), sink_(sink) {
    if (camera_->acquire() != 0) {
      throw CaptureError("The camera is in use by another program on the box.");
    }
    acquired_ = true;
    try {
      configure();
    } catch (...) {
      teardown();
      throw;
    }
  }

  ~LibcameraStream() override { teardown(); }

 private:
  void configure() {
    config_ = camera_->generateConfiguration({libcamera::StreamRole::StillCapture});
    if (!config_ || config_->empty()) throw CaptureError("The camera offers no still pictures.");
    libcamera::StreamConfiguration& stream = config_->at(0);
    const auto formats = stream.formats().pixelformats();
    if (std::find(formats.begin(), formats.end(), libcamera::formats::MJPEG) == formats.end()) {
      throw CaptureError("This camera does not send JPEG pictures (MJPEG); use a USB (UVC) camera that does.");
    }
    stream.pixelFormat = libcamera::formats::MJPEG;
    libcamera::Size best;
    for (const auto& size : stream.formats().sizes(libcamera::formats::MJPEG)) {
      if (size.width <= kMaxWidth && size.height <= kMaxHeight && size.width * size.height > best.width * best.height) {
        best = size;
      }
    }
    if (!best.isNull()) stream.size = best;
    if (config_->validate() == libcamera::CameraConfiguration::Invalid || stream.pixelFormat != libcamera::formats::MJPEG) {
      throw CaptureError("The camera refused the picture format the box asked for.");
    }
    if (camera_->configure(config_.get()) != 0) throw CaptureError("The camera could not be set up.");
    width_ = static_cast<int>(stream.size.width);
    height_ = static_cast<int>(stream.size.height);
    libcamera::Stream* s = stream.stream();
    allocator_ = std::make_unique<libcamera::FrameBufferAllocator>(camera_);
    if (allocator_->allocate(s) < 0) throw CaptureError("The camera's buffers could not be allocated.");
    for (const auto& buffer : allocator_->buffers(s)) {
      // MJPEG is one plane; map the whole buffer once, read it at each completion.
      const auto& plane = buffer->planes().front();
      const std::size_t length = plane.offset + plane.length;
      void* address = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, plane.fd.get(), 0);
      if (address == MAP_FAILED) throw CaptureError("The camera's buffers could not be mapped.");
      maps_[buffer.get()] = {static_cast<const char*>(address) + plane.offset, length, address};
      auto request = camera_->createRequest();
      if (!request || request->addBuffer(s, buffer.get()) != 0) throw CaptureError("The camera refused a request.");
      requests_.push_back(std::move(request));
    }
    camera_->requestCompleted.connect(this, &LibcameraStream::completed);
    camera_->disconnected.connect(this, &LibcameraStream::disconnected);
    connected_ = true;
    if (camera_->start() != 0) throw CaptureError("The camera would not start.");
    started_ = true;
    for (auto& request : requests_) camera_->queueRequest(request.get());
  }

  // On libcamera's thread.
  void completed(libcamera::Request* request) {
    if (request->status() == libcamera::Request::RequestCancelled || stopping_) return;
    const auto now = std::chrono::steady_clock::now();
    const bool wanted = now - lastDelivered_ >= kFrameInterval;
    if (wanted) lastDelivered_ = now;
    for (const auto& [stream, buffer] : request->buffers()) {
      if (!wanted) break;
      const auto found = maps_.find(buffer);
      if (found == maps_.end() || buffer->metadata().status != libcamera::FrameMetadata::FrameSuccess) continue;
      const auto used = std::min<std::size_t>(buffer->metadata().planes()[0].bytesused, found->second.length);
      sink_.frame({"image/jpeg", width_, height_, std::string(found->second.data, used)});
    }
    request->reuse(libcamera::Request::ReuseBuffers);
    if (!stopping_) camera_->queueRequest(request);
  }

  void disconnected() {
    if (!stopping_.exchange(true)) sink_.ended("unplugged");
  }

  void teardown() {
    stopping_ = true;
    if (started_) camera_->stop();  // waits for requests in flight; they complete as cancelled
    if (connected_) {
      camera_->requestCompleted.disconnect(this);
      camera_->disconnected.disconnect(this);
    }
    requests_.clear();
    for (const auto& [buffer, map] : maps_) ::munmap(map.address, map.length);
    maps_.clear();
    if (allocator_ && config_ && !config_->empty()) allocator_->free(config_->at(0).stream());
    allocator_.reset();
    if (acquired_) camera_->release();
    started_ = connected_ = acquired_ = false;
  }

  struct Mapping {
    const char* data;
    std::size_t length;
    void* address;
  };
  std::shared_ptr<libcamera::Camera> camera_;
  FrameSink& sink_;
  std::unique_ptr<libcamera::CameraConfiguration> config_;
  std::unique_ptr<libcamera::FrameBufferAllocator> allocator_;
  std::vector<std::unique_ptr<libcamera::Request>> requests_;
  std::map<const libcamera::FrameBuffer*, Mapping> maps_;
  int width_ = 0, height_ = 0;
  std::chrono::steady_clock::time_point lastDelivered_{};  // on libcamera's thread only
  std::atomic<bool> stopping_{false};
  bool acquired_ = false, connected_ = false, started_ = false;
};

// libcamera allows one CameraManager per process (a second aborts it): every source shares
// one, started with the first and stopped with the last.
std::shared_ptr<libcamera::CameraManager> sharedManager() {
  static std::mutex mutex;
  static std::weak_ptr<libcamera::CameraManager> current;
  std::lock_guard lock(mutex);
  if (auto manager = current.lock()) return manager;
  // libcamera logs INFO and WARN lines to stderr by default (its version; "no IPA found" on a
  // machine without its IPA modules, which UVC cameras do not use): errors are enough in the
  // journal. Read when its logger starts, which is here; LIBCAMERA_LOG_LEVELS set by hand wins.
  ::setenv("LIBCAMERA_LOG_LEVELS", "*:ERROR", 0);
  auto manager = std::shared_ptr<libcamera::CameraManager>(new libcamera::CameraManager, [](libcamera::CameraManager* m) {
    m->stop();
    delete m;
  });
  if (const int rc = manager->start(); rc != 0) {
    throw CaptureError("libcamera's camera manager did not start (error " + std::to_string(rc) + ").");
  }
  current = manager;
  return manager;
}

class LibcameraSource final : public CaptureSource {
 public:
  LibcameraSource() : manager_(sharedManager()) {}

  std::string kind() const override { return "libcamera"; }

  std::vector<CameraInfo> cameras() override {
    std::vector<CameraInfo> out;
    for (const auto& camera : manager_->cameras()) out.push_back({camera->id(), modelOf(*camera)});
    return out;
  }

  std::unique_ptr<CaptureStream> start(const std::string& cameraId, FrameSink& sink) override {
    auto camera = manager_->get(cameraId);
    if (!camera) throw CaptureError("The camera is not connected any more.");
    return std::make_unique<LibcameraStream>(std::move(camera), sink);
  }

 private:
  std::shared_ptr<libcamera::CameraManager> manager_;
};

}  // namespace

std::unique_ptr<CaptureSource> makeLibcameraCaptureSource() { return std::make_unique<LibcameraSource>(); }
bool libcameraBuilt() { return true; }

}  // namespace nestbox::system
