#include "system/host.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
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
    const auto [end, error] = std::from_chars(flags.data(), flags.data() + flags.size(), flagBits, 16);
    if (error != std::errc{} || end != flags.data() + flags.size() || (flagBits & kTemporary) == 0) continue;
    // 32 hex digits in groups of four, which inet_pton checks and inet_ntop writes canonically.
    std::string grouped;
    for (std::size_t i = 0; i < hex.size(); i += 4) grouped += (i ? ":" : "") + hex.substr(i, 4);
    in6_addr address{};
    char text[INET6_ADDRSTRLEN] = {};
    if (::inet_pton(AF_INET6, grouped.c_str(), &address) == 1 &&
        ::inet_ntop(AF_INET6, &address, text, sizeof text) != nullptr) {
      out.emplace_back(text);
    }
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
