#pragma once
// First start. Until the setting exists, the box holds a one-time setup code (80 bits from
// the CSPRNG), shown on the console and written to a file only root can read (on the
// appliance, the boot partition). Presenting it once creates the setting and its first
// manager; after that, setup is gone for good. Nobody becomes a manager by arriving first.

#include <optional>
#include <string>

#include "domain/accounts.hpp"
#include "domain/box_clock.hpp"
#include "domain/context.hpp"
#include "domain/settings.hpp"

namespace nestbox::domain {

struct SetupRequest {
  std::string code;
  std::string settingName;
  std::string framework;
  std::string username;
  std::string displayName;
  std::optional<std::string> email;
  std::string password;
  std::optional<std::string> pin;
  // The time the manager confirmed as right now (Unix seconds); needed while the box's clock
  // has not synced (BoxClock::confirmAtSetup).
  std::optional<int64_t> confirmedNow = {};
};

class SetupService {
 public:
  SetupService(Context& ctx, SettingsService& settings, BoxClock& clock)
      : ctx_(ctx), settings_(settings), clock_(clock) {}

  bool complete() { return settings_.current().has_value(); }

  // At start, before setup: keeps the code of the last start while `codeFile` still holds it;
  // otherwise makes a fresh code (any earlier one stops working), stores its digest and writes
  // it to `codeFile` (mode 0600). Deleting the file is how a code is replaced. Returns the code to show, grouped for
  // reading. Returns nothing once setup is complete (and removes a leftover file).
  std::optional<std::string> prepare(const std::string& codeFile);

  // Creates the setting and its first manager; throws DomainError (gone once complete).
  // After the code and every field are checked, and before anything is written, the box's
  // clock is confirmed (BoxClock::confirmAtSetup): only the holder of the code moves it.
  storage::UserRecord run(const SetupRequest& request, const RequestOrigin& origin, const std::string& codeFile);

  // Checks the setup code for another first-start action (restoring from a backup): gone once
  // setup is complete, throttled per address, audited when wrong, as run() does.
  void checkCode(const std::string& code, const RequestOrigin& origin, const std::string& codeFile);

 private:
  Context& ctx_;
  SettingsService& settings_;
  BoxClock& clock_;
};

}  // namespace nestbox::domain
