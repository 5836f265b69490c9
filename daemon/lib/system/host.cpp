#include "system/host.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace nestbox::system {

std::string systemHostName() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "nestbox";
  std::string name(buf);
  const auto dot = name.find('.');
  if (dot != std::string::npos) name.erase(dot);
  return name;
}

namespace {

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::vector<std::string> temporaryIpv6Addresses(std::string_view ifInet6) {
  constexpr unsigned kTemporary = 0x01;  // IFA_F_TEMPORARY in <linux/if_addr.h>
  std::vector<std::string> out;
  std::istringstream lines{std::string(ifInet6)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string hex, index, prefix, scope, flags;
    if (!(fields >> hex >> index >> prefix >> scope >> flags) || hex.size() != 32) continue;
    unsigned flagBits = 0;
    bool ok = !flags.empty() && flags.size() <= 8;
    for (const char c : flags) {
      const int digit = hexDigit(c);
      ok = ok && digit >= 0;
      flagBits = flagBits * 16 + static_cast<unsigned>(std::max(digit, 0));
    }
    if (!ok || (flagBits & kTemporary) == 0) continue;
    in6_addr address{};
    for (std::size_t i = 0; i < 16 && ok; ++i) {
      const int high = hexDigit(hex[i * 2]), low = hexDigit(hex[i * 2 + 1]);
      ok = high >= 0 && low >= 0;
      address.s6_addr[i] = static_cast<unsigned char>(high * 16 + low);
    }
    char text[INET6_ADDRSTRLEN] = {};
    if (ok && ::inet_ntop(AF_INET6, &address, text, sizeof text) != nullptr) out.emplace_back(text);
  }
  return out;
}

std::vector<std::string> hostAddresses() {
  std::vector<std::string> out = {"127.0.0.1", "::1"};
  std::vector<std::string> temporary;
  if (std::ifstream file("/proc/net/if_inet6"); file) {
    std::ostringstream text;
    text << file.rdbuf();
    temporary = temporaryIpv6Addresses(text.str());
  }
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
    if (it->ifa_addr == nullptr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (it->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
      ::inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
    } else if (it->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(it->ifa_addr);
      if (IN6_IS_ADDR_LINKLOCAL(&sin6->sin6_addr)) continue;  // scoped; unusable in a certificate
      ::inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text);
    } else {
      continue;
    }
    if (std::find(temporary.begin(), temporary.end(), text) != temporary.end()) continue;
    if (std::find(out.begin(), out.end(), text) == out.end()) out.emplace_back(text);
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace nestbox::system
