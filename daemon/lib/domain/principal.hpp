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
  // The MDM tier: SHA-1 of a client certificate nginx verified against the box CA.
  std::optional<std::string> clientCertSha1;
  // Arrived from outside the setting's network: through the relay's tunnel or on the public
  // name's listener (nginx marks it; domain/outside_access.hpp says what that allows).
  bool outside = false;
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
  // The registered device the session is bound to (it signed a challenge at sign-in and
  // renews that proof); none for parents and for managers at an office computer.
  std::optional<std::string> deviceId;
  // Set while the tablet shows one child's journal (policy 000): nothing else is reachable.
  std::optional<std::string> childViewOf;
};

// A tablet's proof that it holds its enrolled key: its signature over a fresh challenge.
struct DeviceProof {
  std::string deviceId;
  std::string challenge;
  std::string signature;
};

}  // namespace nestbox::domain
