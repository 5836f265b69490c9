#include "system/appliance_bus.hpp"

#include <systemd/sd-bus.h>

#include <atomic>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace nestbox::system {
namespace {

constexpr const char* kName = "org.nestbox.Appliance1";
constexpr const char* kPath = "/org/nestbox/Appliance1";
constexpr const char* kInterface = "org.nestbox.Appliance1";

class SdApplianceBus final : public ApplianceBus {
 public:
  SdApplianceBus(ApplianceHandlers handlers, int pollMs) : handlers_(std::move(handlers)), pollMs_(pollMs) {
    int r = sd_bus_open_system(&bus_);
    if (r < 0) throw std::runtime_error(std::string("cannot connect to the system bus: ") + std::strerror(-r));
    r = sd_bus_add_object_vtable(bus_, &slot_, kPath, kInterface, kVtable, this);
    if (r >= 0) r = sd_bus_request_name(bus_, kName, 0);
    if (r < 0) {
      sd_bus_slot_unref(slot_);
      sd_bus_flush_close_unref(bus_);
      throw std::runtime_error(std::string("cannot own ") + kName + " on the system bus: " + std::strerror(-r));
    }
    engaged_ = handlers_.status().first;
    thread_ = std::thread([this] { run(); });
  }

  ~SdApplianceBus() override {
    stop_ = true;
    thread_.join();
    sd_bus_slot_unref(slot_);
    sd_bus_flush_close_unref(bus_);
  }

 private:
  void run() {
    while (!stop_) {
      while (sd_bus_process(bus_, nullptr) > 0) {
      }
      sd_bus_wait(bus_, static_cast<uint64_t>(pollMs_) * 1000);
      announce();
    }
  }

  // Sends LockdownChanged when the state differs from the last one announced.
  void announce() {
    bool now = engaged_;
    try {
      now = handlers_.status().first;
    } catch (const std::exception&) {
      return;  // the database is busy or closing: look again next time
    }
    if (now == engaged_) return;
    engaged_ = now;
    sd_bus_emit_signal(bus_, kPath, kInterface, "LockdownChanged", "b", static_cast<int>(now));
  }

  static int onLockdown(sd_bus_message* m, void* self, sd_bus_error* error) {
    auto* bus = static_cast<SdApplianceBus*>(self);
    const char* reason = nullptr;
    int r = sd_bus_message_read(m, "s", &reason);
    if (r < 0) return r;
    try {
      bus->handlers_.lockdown(reason);
    } catch (const std::exception& e) {
      return sd_bus_error_set(error, "org.nestbox.Appliance1.Error.Refused", e.what());
    }
    bus->announce();
    return sd_bus_reply_method_return(m, "");
  }

  static int onStatus(sd_bus_message* m, void* self, sd_bus_error* error) {
    auto* bus = static_cast<SdApplianceBus*>(self);
    try {
      const auto [engaged, since] = bus->handlers_.status();
      return sd_bus_reply_method_return(m, "bs", static_cast<int>(engaged), since.c_str());
    } catch (const std::exception& e) {
      return sd_bus_error_set(error, "org.nestbox.Appliance1.Error.Unavailable", e.what());
    }
  }

  static constexpr sd_bus_vtable kVtable[] = {
      SD_BUS_VTABLE_START(0),
      SD_BUS_METHOD("Lockdown", "s", "", onLockdown, SD_BUS_VTABLE_UNPRIVILEGED),
      SD_BUS_METHOD("Status", "", "bs", onStatus, SD_BUS_VTABLE_UNPRIVILEGED),
      SD_BUS_SIGNAL("LockdownChanged", "b", 0),
      SD_BUS_VTABLE_END,
  };

  ApplianceHandlers handlers_;
  int pollMs_;
  sd_bus* bus_ = nullptr;
  sd_bus_slot* slot_ = nullptr;
  std::atomic<bool> stop_{false};
  bool engaged_ = false;  // touched only by the bus thread after construction
  std::thread thread_;
};

}  // namespace

std::unique_ptr<ApplianceBus> ApplianceBus::start(ApplianceHandlers handlers, int pollMs) {
  return std::make_unique<SdApplianceBus>(std::move(handlers), pollMs);
}

}  // namespace nestbox::system
