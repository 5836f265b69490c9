#pragma once
// Talking to the service manager (systemd): readiness, stopping, watchdog pings.
// Outside systemd (no NOTIFY_SOCKET) every call is a harmless no-op.

#include <chrono>
#include <optional>
#include <string>

namespace nestbox::system {

class ServiceNotifier {
 public:
  virtual ~ServiceNotifier() = default;
  virtual void ready(const std::string& status) = 0;
  // The one-line status `systemctl status` shows.
  virtual void status(const std::string& status) = 0;
  virtual void stopping() = 0;
  virtual void watchdogPing() = 0;
  // How often to ping, when the service manager asked for pings (half its timeout).
  virtual std::optional<std::chrono::microseconds> watchdogInterval() = 0;
};

class SystemdNotifier final : public ServiceNotifier {
 public:
  void ready(const std::string& status) override;
  void status(const std::string& status) override;
  void stopping() override;
  void watchdogPing() override;
  std::optional<std::chrono::microseconds> watchdogInterval() override;
};

}  // namespace nestbox::system
