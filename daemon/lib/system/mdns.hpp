#pragma once
// Announcing the box on the local network by multicast DNS (DNS-SD), so tablets and the
// setting's IT support find it as "<setting>" without knowing its address.
//
// The publisher owns its own thread. announce() may be called from any thread, as often as
// wanted: an unchanged announcement costs nothing; a changed TXT record is updated in place;
// a changed name or service list is withdrawn and published anew. The publisher keeps the
// announcement and publishes it again by itself whenever the mDNS daemon comes back
// (restarted, or started after the box), and picks an alternative name ("Name #2") when
// another host on the network already uses the name. status() tells what happened, for the
// log, the service manager's status line and the setup page.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nestbox::system {

struct MdnsService {
  std::string type;               // e.g. "_https._tcp"
  uint16_t port = 0;
  std::vector<std::string> txt;   // "key=value" strings, each at most 255 bytes

  bool operator==(const MdnsService&) const = default;
};

struct MdnsAnnouncement {
  std::string name;  // the service instance name, UTF-8, at most 63 bytes
  std::vector<MdnsService> services;

  bool operator==(const MdnsAnnouncement&) const = default;
};

struct MdnsStatus {
  enum class State {
    starting,     // nothing announced yet, or being registered
    published,    // every service is registered on the network
    unavailable,  // no mDNS daemon (or no system bus); the publisher waits for one
  };
  State state = State::starting;
  std::string detail;          // why unavailable, in words for the log
  std::string publishedName;   // the name in use (or being registered): the announced one, or
                               // its alternative after a collision
  std::string hostName;        // the box's mDNS host name, e.g. "nestbox.local"; "" until known
  int collisions = 0;          // how many times a name had to be changed

  bool operator==(const MdnsStatus&) const = default;
};

const char* mdnsStateName(MdnsStatus::State state);

class MdnsPublisher {
 public:
  virtual ~MdnsPublisher() = default;
  virtual void announce(const MdnsAnnouncement& announcement) = 0;
  virtual MdnsStatus status() const = 0;
};

// Avahi, through its client library on the system bus (DBUS_SYSTEM_BUS_ADDRESS if set). Never
// throws for a missing daemon or bus: the status says "unavailable" and the publisher keeps
// trying (the daemon's appearance is noticed at once; a missing bus is retried every
// `retrySeconds`).
std::unique_ptr<MdnsPublisher> startAvahiPublisher(int retrySeconds = 10);

}  // namespace nestbox::system
