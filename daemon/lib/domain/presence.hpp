#pragma once
// How the box presents itself on the setting's network (issue 8): what it announces by
// mDNS, which names its server certificate carries, and what the setup and devices pages
// show so that staff and IT support can find the box and check they reached the right one.
//
// Announced, as the setting's name (before setup: "Nestbox on <host>"):
//   _https._tcp     on the public HTTPS port, TXT path=/
//   _nestbox._tcp   on the same port, TXT txtvers=1, version=, id=, ca_sha256=, state=
// where state is "setup" (no setting yet), "ok" or "lockdown", and id is the box id: the
// first 16 hex digits of the CA fingerprint, stable for the life of the box's CA.
//
// The daemon calls tick() about once a second. It re-announces when the state or the
// setting's name changes, logs what the publisher reports, and when the box's names change
// (host renamed, mDNS name moved after a collision, a new address) has the server
// certificate re-issued for them.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/lockdown.hpp"
#include "domain/settings.hpp"
#include "security/certificate_authority.hpp"
#include "system/mdns.hpp"

namespace nestbox::domain {

struct BoxIdentity {
  std::string version;
  std::string caFingerprint;  // SHA-256 of the CA certificate, "AB:CD:..."
  uint16_t httpsPort = 443;
};

// The host's own names and addresses as the operating system has them now.
struct HostFacts {
  std::string hostName;                // without ".local"
  std::vector<std::string> addresses;  // unicast, loopback included
};

struct PresenceView {
  std::string state;        // setup, ok, lockdown
  std::string serviceName;  // as announced (after a collision: the alternative in use)
  std::string hostName;     // the name to type: "<mdns host>" or "<host>.local"
  std::vector<std::string> addresses;  // without loopback
  std::string url;          // https://<hostName>[:port]/
  std::vector<std::string> addressUrls;  // the same by address, for networks without mDNS
  std::string mdns;         // published, starting, unavailable
  std::string mdnsDetail;   // why unavailable
  std::string boxId;
  std::string caFingerprint;
};

class NetworkPresence {
 public:
  using HostLookup = std::function<HostFacts()>;
  // Re-issues the server certificate when it is not valid for these names (and audits that).
  // Called from tick() only when the names change.
  using CertificateFollower = std::function<void(const security::CertificateNames&)>;

  // `publisher` may be null (mDNS switched off or not startable): the view then says so.
  NetworkPresence(BoxIdentity identity, SettingsService& settings, LockdownService& lockdown,
                  system::MdnsPublisher* publisher, HostLookup host, CertificateFollower followCertificate);

  // Never throws: a failing step is logged and tried again at the next tick.
  void tick();
  // Hands the names in use to the certificate follower again, names changed or not, so a
  // certificate the clock has moved outside of is re-issued (the daemon calls it each minute).
  // Never throws.
  void recheckCertificate();
  PresenceView view() const;

  static std::string boxIdFor(const std::string& caFingerprint);
  // The announcement for a state and a setting name ("" before setup).
  system::MdnsAnnouncement announcementFor(const std::string& state, const std::string& settingName,
                                           const std::string& hostName) const;

 private:
  const BoxIdentity identity_;
  SettingsService& settings_;
  LockdownService& lockdown_;
  system::MdnsPublisher* publisher_;
  HostLookup host_;
  CertificateFollower followCertificate_;

  mutable std::mutex mutex_;  // guards the fields below, read by view() from request threads
  std::string state_;
  std::string announcedName_;
  HostFacts hostFacts_;
  system::MdnsStatus mdns_;
  std::optional<security::CertificateNames> certificateNames_;
};

}  // namespace nestbox::domain
