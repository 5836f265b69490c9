#pragma once
// What the box is called and where it can be reached, for certificate names and notices.

#include <string>
#include <vector>

namespace nestbox::system {

std::string systemHostName();
// Unicast addresses of the box's interfaces (IPv4 and global IPv6), loopback included.
std::vector<std::string> hostAddresses();

}  // namespace nestbox::system
