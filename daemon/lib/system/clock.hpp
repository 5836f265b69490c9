#pragma once
// Wall-clock time as whole Unix seconds, behind an interface so tests move time by hand.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

namespace nestbox::system {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now() const = 0;  // Unix seconds, UTC
};

class SystemClock final : public Clock {
 public:
  int64_t now() const override;
};

// For unit tests: time stands still until advanced.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start = 1'780'000'000) : now_(start) {}
  int64_t now() const override { return now_.load(); }
  void advance(int64_t seconds) { now_ += seconds; }
  void set(int64_t t) { now_ = t; }

 private:
  std::atomic<int64_t> now_;
};

// For integration tests of the real daemon: system time plus a number of seconds read from
// a file (absent or empty file: zero), so a test can "wait" an hour without sleeping.
class OffsetFileClock final : public Clock {
 public:
  explicit OffsetFileClock(std::string path) : path_(std::move(path)) {}
  int64_t now() const override;

 private:
  std::string path_;
};

// RFC 3339 UTC text ("2026-11-22T13:20:00Z") for API output.
std::string formatTimestamp(int64_t unixSeconds);
// The reverse: exactly that shape, read as UTC; nothing for anything else.
std::optional<int64_t> parseTimestamp(const std::string& text);
// RFC 9110 HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT"), e.g. for tus's Upload-Expires.
std::string formatHttpDate(int64_t unixSeconds);

}  // namespace nestbox::system
