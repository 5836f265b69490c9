#pragma once
// Who is making a request: the signed-in user (if any) and where the request came from.

#include <optional>
#include <string>

namespace nestbox::domain {

enum class Role { manager, staff, parent };

std::string roleName(Role role);
std::optional<Role> roleFromName(const std::string& name);

struct RequestOrigin {
  std::string address;    // client address as nginx saw it
  std::string userAgent;  // truncated
};

struct Principal {
  std::string userId;
  std::string username;
  std::string displayName;
  Role role = Role::parent;
  std::string sessionId;
  std::string csrfToken;
  bool mustChangePassword = false;
  RequestOrigin origin;
};

}  // namespace nestbox::domain
