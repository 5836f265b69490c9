#include "system/service_notifier.hpp"

#include <systemd/sd-daemon.h>

namespace nestbox::system {

void SystemdNotifier::ready(const std::string& status) {
  const std::string message = "READY=1\nSTATUS=" + status;
  sd_notify(0, message.c_str());
}

void SystemdNotifier::status(const std::string& status) {
  const std::string message = "STATUS=" + status;
  sd_notify(0, message.c_str());
}

void SystemdNotifier::stopping() { sd_notify(0, "STOPPING=1"); }

void SystemdNotifier::watchdogPing() { sd_notify(0, "WATCHDOG=1"); }

std::optional<std::chrono::microseconds> SystemdNotifier::watchdogInterval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace nestbox::system
