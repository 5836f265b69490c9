#pragma once
// The setting's secure networks (policies 002 and 004: staff record only on the setting's
// own devices, on a secure network). A list of IPv4 and IPv6 networks in CIDR form, e.g.
// "192.168.10.0/24, fd00:1::/64"; an address is secure when it falls in any of them.
// Addresses come from nginx's connection (X-Real-IP from a loopback peer), never from a
// header the client sets.

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace nestbox::security {

struct Subnet {
  bool v6 = false;
  std::array<unsigned char, 16> address{};  // network bytes; the first 4 for IPv4
  int prefix = 0;
  std::string text;  // as normalised for display, e.g. "192.168.10.0/24"
};

// Parses one network ("10.0.0.0/8", "::1/128"; a bare address is a /32 or /128). Host bits
// must be zero, so "192.168.1.7/24" is refused as probably a typing mistake.
std::optional<Subnet> parseSubnet(const std::string& text);

struct SubnetListError {
  std::string item;     // what was refused, as typed
  std::string message;  // what to do about it
};

// Parses a comma- or newline-separated list; the first bad item is reported.
std::vector<Subnet> parseSubnetList(const std::string& text, std::optional<SubnetListError>& error);

// Joins networks back into the stored form, "a, b, c".
std::string formatSubnetList(const std::vector<Subnet>& subnets);

// True when `address` (an IPv4 or IPv6 literal; IPv4-mapped IPv6 counts as IPv4) is inside one
// of `subnets`. An address that does not parse is never inside.
bool inAnySubnet(const std::string& address, const std::vector<Subnet>& subnets);

}  // namespace nestbox::security
