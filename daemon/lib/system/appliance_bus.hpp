#pragma once
// The appliance on the D-Bus system bus (issue 7): name and object org.nestbox.Appliance1 at
// /org/nestbox/Appliance1, interface org.nestbox.Appliance1 with
//   Lockdown(s reason)            engage the fault lockdown (policy 001)
//   Status() -> (b engaged, s since)
//   signal LockdownChanged(b engaged)   however it was engaged or lifted
// Who may call is the bus policy's business (systemd/dbus/org.nestbox.Appliance1.conf: root
// and the nestbox group). sd-bus is not thread-safe, so one thread owns the connection: it
// serves calls and looks at the state every `pollMs` to send the signal.

#include <functional>
#include <memory>
#include <string>

namespace nestbox::system {

struct ApplianceHandlers {
  // Throws std::exception with a message for the caller when the reason is refused.
  std::function<void(const std::string& reason)> lockdown;
  // Engaged, and since when ("" when not).
  std::function<std::pair<bool, std::string>()> status;
};

class ApplianceBus {
 public:
  virtual ~ApplianceBus() = default;
  // Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS if set), takes the name and starts
  // serving; throws std::runtime_error when the bus or the name is not available.
  static std::unique_ptr<ApplianceBus> start(ApplianceHandlers handlers, int pollMs = 1000);
};

}  // namespace nestbox::system
