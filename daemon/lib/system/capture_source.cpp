#include "system/capture_source.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "system/files.hpp"

namespace nestbox::system {
namespace {

class NoCaptureSource final : public CaptureSource {
 public:
  std::string kind() const override { return "none"; }
  std::vector<CameraInfo> cameras() override { return {}; }
  std::unique_ptr<CaptureStream> start(const std::string&, FrameSink&) override {
    throw CaptureError("There is no camera on this box.");
  }
};

std::vector<std::string> jpegFiles(const std::string& directory) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    const auto ext = entry.path().extension().string();
    if (entry.is_regular_file(ec) && (ext == ".jpg" || ext == ".jpeg")) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class FileStream final : public CaptureStream {
 public:
  FileStream(std::string directory, std::chrono::milliseconds interval, FrameSink& sink)
      : directory_(std::move(directory)), interval_(interval), sink_(sink), thread_([this] { run(); }) {}

  ~FileStream() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    std::size_t next = 0;
    std::unique_lock lock(mutex_);
    while (!stop_) {
      lock.unlock();
      const auto files = jpegFiles(directory_);
      std::string bytes;
      if (!files.empty()) {
        try {
          bytes = readFile(files[next++ % files.size()]);
        } catch (const std::exception&) {
        }
      }
      if (bytes.empty()) {
        sink_.ended("unplugged");
        return;
      }
      sink_.frame({"image/jpeg", 0, 0, std::move(bytes)});
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stop_; });
    }
  }

  std::string directory_;
  std::chrono::milliseconds interval_;
  FrameSink& sink_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is set
};

class FileCaptureSource final : public CaptureSource {
 public:
  FileCaptureSource(std::string directory, std::chrono::milliseconds interval)
      : directory_(std::move(directory)), interval_(interval) {}
  std::string kind() const override { return "files"; }
  std::vector<CameraInfo> cameras() override {
    if (jpegFiles(directory_).empty()) return {};
    return {{"files", "Test camera (pictures from a folder)"}};
  }
  std::unique_ptr<CaptureStream> start(const std::string& cameraId, FrameSink& sink) override {
    if (cameraId != "files" || jpegFiles(directory_).empty()) throw CaptureError("The camera is not connected.");
    return std::make_unique<FileStream>(directory_, interval_, sink);
  }

 private:
  std::string directory_;
  std::chrono::milliseconds interval_;
};

}  // namespace

std::unique_ptr<CaptureSource> makeNoCaptureSource() { return std::make_unique<NoCaptureSource>(); }

std::unique_ptr<CaptureSource> makeFileCaptureSource(std::string directory, std::chrono::milliseconds interval) {
  return std::make_unique<FileCaptureSource>(std::move(directory), interval);
}

#ifndef NESTBOX_WITH_LIBCAMERA
std::unique_ptr<CaptureSource> makeLibcameraCaptureSource() {
  throw CaptureError("This nestboxd was built without libcamera (NESTBOX_LIBCAMERA=OFF).");
}
bool libcameraBuilt() { return false; }
#endif

}  // namespace nestbox::system
