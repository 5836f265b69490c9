#include "system/disk.hpp"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace nestbox::system {

DiskUsage FileSystemDisk::usage() const {
  struct statvfs st{};
  if (::statvfs(path_.c_str(), &st) != 0) {
    throw std::runtime_error("cannot read the free space of " + path_ + ": " + std::strerror(errno));
  }
  const auto unit = static_cast<int64_t>(st.f_frsize ? st.f_frsize : st.f_bsize);
  return {static_cast<int64_t>(st.f_blocks) * unit, static_cast<int64_t>(st.f_bavail) * unit};
}

}  // namespace nestbox::system
