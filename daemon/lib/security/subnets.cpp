#include "security/subnets.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace nestbox::security {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

struct Address {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
};

std::optional<Address> parseAddress(const std::string& text) {
  Address a;
  if (::inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) return a;
  if (::inet_pton(AF_INET6, text.c_str(), a.bytes.data()) != 1) return std::nullopt;
  a.v6 = true;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {  // ::ffff:192.0.2.1 is 192.0.2.1
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::fill(a.bytes.begin() + 4, a.bytes.end(), 0);
    a.v6 = false;
  }
  return a;
}

bool prefixMatches(const std::array<unsigned char, 16>& a, const std::array<unsigned char, 16>& b, int prefix) {
  const int whole = prefix / 8;
  if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(whole)) != 0) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a[static_cast<std::size_t>(whole)] & mask) == (b[static_cast<std::size_t>(whole)] & mask);
}

}  // namespace

std::optional<Subnet> parseSubnet(const std::string& raw) {
  const std::string text = trim(raw);
  const auto slash = text.find('/');
  const std::string addressText = text.substr(0, slash);
  auto address = parseAddress(addressText);
  if (!address) return std::nullopt;
  // A mapped IPv6 form is accepted as an address but not as a network: keep networks plain.
  if (!address->v6 && addressText.find(':') != std::string::npos) return std::nullopt;
  const int maxPrefix = address->v6 ? 128 : 32;
  int prefix = maxPrefix;
  if (slash != std::string::npos) {
    const std::string digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return std::nullopt;
    prefix = std::stoi(digits);
    if (prefix > maxPrefix) return std::nullopt;
  }
  Subnet s;
  s.v6 = address->v6;
  s.address = address->bytes;
  s.prefix = prefix;
  // Host bits set: compare the address with itself masked.
  std::array<unsigned char, 16> masked{};
  for (int bit = 0; bit < prefix; ++bit) {
    const auto i = static_cast<std::size_t>(bit / 8);
    masked[i] = static_cast<unsigned char>(masked[i] | (s.address[i] & (0x80 >> (bit % 8))));
  }
  if (masked != s.address) return std::nullopt;
  char buffer[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(s.v6 ? AF_INET6 : AF_INET, s.address.data(), buffer, sizeof buffer);
  s.text = std::string(buffer) + "/" + std::to_string(prefix);
  return s;
}

std::vector<Subnet> parseSubnetList(const std::string& text, std::optional<SubnetListError>& error) {
  std::vector<Subnet> out;
  error.reset();
  std::string item;
  auto flush = [&] {
    const std::string t = trim(item);
    item.clear();
    if (t.empty() || error) return;
    auto s = parseSubnet(t);
    if (!s) {
      error = SubnetListError{t, "“" + t + "” is not a network. Write networks like 192.168.10.0/24 or fd00:1::/64, "
                                  "with the host part zero."};
      return;
    }
    if (std::none_of(out.begin(), out.end(), [&](const Subnet& o) { return o.text == s->text; })) out.push_back(*s);
  };
  for (char c : text) {
    if (c == ',' || c == '\n') flush();
    else item += c;
  }
  flush();
  if (error) out.clear();
  return out;
}

std::string formatSubnetList(const std::vector<Subnet>& subnets) {
  std::string out;
  for (const auto& s : subnets) out += (out.empty() ? "" : ", ") + s.text;
  return out;
}

bool inAnySubnet(const std::string& addressText, const std::vector<Subnet>& subnets) {
  const auto address = parseAddress(addressText);
  if (!address) return false;
  return std::any_of(subnets.begin(), subnets.end(), [&](const Subnet& s) {
    return s.v6 == address->v6 && prefixMatches(s.address, address->bytes, s.prefix);
  });
}

}  // namespace nestbox::security
