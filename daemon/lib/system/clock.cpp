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

namespace {
std::tm utc(int64_t unixSeconds) {
  const std::time_t t = static_cast<std::time_t>(unixSeconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::optional<int64_t> parseTimestamp(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

std::string formatTimestamp(int64_t unixSeconds) {
  const std::tm tm = utc(unixSeconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string formatHttpDate(int64_t unixSeconds) {
  const std::tm tm = utc(unixSeconds);  // strftime's %a and %b are English in the C locale the daemon runs in
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace nestbox::system
