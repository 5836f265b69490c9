#pragma once
// What the box is called and where it can be reached, for certificate names and notices.

#include <string>
#include <string_view>
#include <vector>

namespace nestbox::system {

std::string systemHostName();
// Unicast addresses of the box's interfaces (IPv4 and global IPv6), loopback included.
// Link-local IPv6 addresses (scoped) and temporary ones (RFC 8981 privacy addresses, which
// rotate about daily and would have the certificate re-issued as often) are left out.
std::vector<std::string> hostAddresses();

// The temporary IPv6 addresses (IFA_F_TEMPORARY) listed in text of /proc/net/if_inet6's
// format, written as inet_ntop writes them. Lines it cannot read are skipped.
std::vector<std::string> temporaryIpv6Addresses(std::string_view ifInet6);

}  // namespace nestbox::system
