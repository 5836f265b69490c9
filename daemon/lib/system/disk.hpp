#pragma once
// The data disk's size and free space (issue 14), behind an interface so tests fill a fake
// disk instead of a real one.

#include <cstdint>
#include <string>

namespace nestbox::system {

struct DiskUsage {
  int64_t totalBytes = 0;
  int64_t freeBytes = 0;  // what an unprivileged process may still write
};

class Disk {
 public:
  virtual ~Disk() = default;
  // Throws std::runtime_error when the file system cannot be asked.
  virtual DiskUsage usage() const = 0;
};

// The file system holding `path` (statvfs).
class FileSystemDisk final : public Disk {
 public:
  explicit FileSystemDisk(std::string path) : path_(std::move(path)) {}
  DiskUsage usage() const override;

 private:
  std::string path_;
};

// Tests: a disk of the given size whose free space they set.
class FakeDisk final : public Disk {
 public:
  explicit FakeDisk(int64_t total = 64LL << 30, int64_t free = 48LL << 30) : usage_{total, free} {}
  DiskUsage usage() const override { return usage_; }
  void setFree(int64_t bytes) { usage_.freeBytes = bytes; }

 private:
  DiskUsage usage_;
};

}  // namespace nestbox::system
