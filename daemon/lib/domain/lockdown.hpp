#pragma once
// Fault lockdown (policy 001): when a fault may compromise children's privacy, one switch
// ends every session and closes the journal — every API and media request answers 503 with
// the lockdown notice — until a manager, on the setting's network, with password and PIN,
// lifts it and records what the fault was and how it was put right. Managers post updates
// to the public notice while it lasts; parents see what happened at their next visit.
//
// The state lives in the database only (engaged = an open incident), so a lockdown engaged
// from the box's command line takes effect in the running daemon at once, and survives
// kill -9 and power loss (the engage transaction is durable before it returns).

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/context.hpp"
#include "domain/settings.hpp"
#include "storage/lockdown_store.hpp"
#include "system/gpio.hpp"

namespace nestbox::domain {

// A manager proving themselves again for lockdown work: sessions are all ended meanwhile.
struct ManagerCredentials {
  std::string username;
  std::string password;
  std::string pin;
};

struct Incident {
  storage::IncidentRecord record;
  std::vector<storage::IncidentUpdateRecord> updates;
};

class LockdownService {
 public:
  LockdownService(Context& ctx, storage::LockdownStore& store, SettingsService& settings)
      : ctx_(ctx), store_(store), settings_(settings) {}

  // A manager in the web app. Engaging while engaged changes nothing and returns the open one.
  Incident engage(const Principal& manager, const std::string& reason);
  // The box itself: its command line ("cli"), D-Bus ("dbus") or its button ("button").
  Incident engageLocally(const std::string& via, const std::string& who, const std::string& reason);

  bool engaged() { return store_.openIncident().has_value(); }
  // The open incident, if any.
  std::optional<Incident> current();
  // The most recent lifted incident, if lifted within `days` (what parents are told after).
  std::optional<Incident> recentlyLifted(int days);

  void postUpdate(const ManagerCredentials& manager, const std::string& message, const RequestOrigin& origin);
  Incident lift(const ManagerCredentials& manager, const std::string& fault, const std::string& rectification,
                const RequestOrigin& origin);

  // Every incident with its timeline, newest first, for IT support (managers).
  std::vector<Incident> incidents(const Principal& manager);

  // Runs `stop` after each engagement made in this process (web, D-Bus, button), once the
  // incident is durable: what must stop at once (the box camera) stops then. An engagement
  // from another process (nestboxctl without the daemon's bus) is seen by those parts' own
  // once-a-second check of engaged().
  void onEngaged(std::function<void()> stop);

 private:
  Incident engageAs(const std::string& via, const std::string& who, const std::optional<std::string>& userId,
                    const std::string& address, const std::string& reason);
  // Checks username, password and PIN of an active manager, from the setting's network.
  storage::UserRecord requireManager(const ManagerCredentials& manager, const RequestOrigin& origin);
  Incident withUpdates(storage::IncidentRecord record);

  Context& ctx_;
  storage::LockdownStore& store_;
  SettingsService& settings_;
  std::mutex listenersMutex_;
  std::vector<std::function<void()>> onEngaged_;
};

// What the box's LED shows: steady while locked down; blinking once a second while the box
// camera runs (issue 18: a camera in a room of children shows that it is on); off otherwise.
bool panelLight(bool lockedDown, bool cameraRunning, int64_t nowMs);

// The box's physical panel: a button held for 3 seconds engages the lockdown; an LED shows it,
// however it was engaged, and the camera. The daemon calls tick() every few tens of milliseconds.
class LockdownPanel {
 public:
  static constexpr int64_t kDebounceMs = 50;
  static constexpr int64_t kHoldMs = 3000;
  static constexpr int64_t kLedRefreshMs = 1000;

  // Either line may be null (not wired); `cameraRunning` may be empty (no camera).
  LockdownPanel(LockdownService& lockdown, system::InputLine* button, system::OutputLine* led,
                std::function<bool()> cameraRunning = {})
      : lockdown_(lockdown), button_(button), led_(led), cameraRunning_(std::move(cameraRunning)) {}
  void tick(int64_t nowMs);

 private:
  LockdownService& lockdown_;
  system::InputLine* button_;
  system::OutputLine* led_;
  std::function<bool()> cameraRunning_;
  system::LongPress press_{kDebounceMs, kHoldMs};
  int64_t ledCheckedAt_ = -kLedRefreshMs;
  bool lockedDown_ = false;
  std::optional<bool> lit_;
};

}  // namespace nestbox::domain
