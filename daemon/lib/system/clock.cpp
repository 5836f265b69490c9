#include "system/clock.hpp"

#include <chrono>
#include <ctime>
#include <fstream>

namespace nestbox::system {

int64_t SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t OffsetFileClock::now() const {
  int64_t offset = 0;
  std::ifstream in(path_);
  if (in) in >> offset;
  return SystemClock().now() + offset;
}

std::string formatTimestamp(int64_t unixSeconds) {
  const std::time_t t = static_cast<std::time_t>(unixSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace nestbox::system
