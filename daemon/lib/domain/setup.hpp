#pragma once
// First start. Until the setting exists, the box holds a one-time setup code (80 bits from
// the CSPRNG), shown on the console and written to a file only root can read (on the
// appliance, the boot partition). Presenting it once creates the setting and its first
// manager; after that, setup is gone for good. Nobody becomes a manager by arriving first.

#include <optional>
#include <string>

#include "domain/accounts.hpp"
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
};

class SetupService {
 public:
  SetupService(Context& ctx, SettingsService& settings) : ctx_(ctx), settings_(settings) {}

  bool complete() { return settings_.current().has_value(); }

  // At start, before setup: makes a fresh code (any earlier one stops working), stores its
  // digest and writes it to `codeFile` (mode 0600). Returns the code to show, grouped for
  // reading. Returns nothing once setup is complete (and removes a leftover file).
  std::optional<std::string> prepare(const std::string& codeFile);

  // Creates the setting and its first manager; throws DomainError (gone once complete).
  storage::UserRecord run(const SetupRequest& request, const RequestOrigin& origin, const std::string& codeFile);

 private:
  Context& ctx_;
  SettingsService& settings_;
};

}  // namespace nestbox::domain
