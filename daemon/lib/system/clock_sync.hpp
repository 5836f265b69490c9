#pragma once
// Whether the system clock has been checked against a time server, and the way to have it set.
//
// A Raspberry Pi has no real-time clock: it boots with the time it was shut down at
// (fake-hwclock) or the image's build time, until systemd-timesyncd reaches a time server.
// nestboxd cannot set the clock itself (its unit has ProtectClock= and no capabilities), so it
// writes the wanted time to a request file; a root unit (nestbox-clock.path, which runs
// `nestboxctl clock-apply`) checks and applies it.

#include <cstdint>
#include <optional>
#include <string>

namespace nestbox::system {

class ClockSync {
 public:
  virtual ~ClockSync() = default;
  virtual bool synchronised() const = 0;
  // Asks for the system clock to be set to `unixSeconds` (UTC).
  virtual void requestTime(int64_t unixSeconds) = 0;
};

// syncedFile: a file that exists once the clock has synced (systemd-timesyncd's
// /run/systemd/timesync/synchronized); empty: the clock is the host's business, taken as
// synchronised. requestFile: where the wanted time is written (one line, Unix seconds).
class FileClockSync final : public ClockSync {
 public:
  FileClockSync(std::string syncedFile, std::string requestFile)
      : syncedFile_(std::move(syncedFile)), requestFile_(std::move(requestFile)) {}
  bool synchronised() const override;
  void requestTime(int64_t unixSeconds) override;

 private:
  std::string syncedFile_;
  std::string requestFile_;
};

// For tests.
class FakeClockSync final : public ClockSync {
 public:
  explicit FakeClockSync(bool synced = true) : synced_(synced) {}
  bool synchronised() const override { return synced_; }
  void requestTime(int64_t unixSeconds) override { requested_ = unixSeconds; }
  void setSynchronised(bool synced) { synced_ = synced; }
  std::optional<int64_t> requested() const { return requested_; }

 private:
  bool synced_;
  std::optional<int64_t> requested_;
};

}  // namespace nestbox::system
