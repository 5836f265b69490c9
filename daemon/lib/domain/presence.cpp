#include "domain/presence.hpp"

#include <algorithm>
#include <cctype>

#include "core/log.hpp"

namespace nestbox::domain {
namespace {

// DNS-SD instance names are at most 63 bytes; cut on a UTF-8 character boundary.
std::string instanceName(std::string name) {
  if (name.size() <= 63) return name;
  std::size_t cut = 63;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  name.resize(cut);
  return name;
}

std::string hexWithoutColons(const std::string& fingerprint) {
  std::string out;
  for (char c : fingerprint) {
    if (c != ':') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The name to announce: the setting's, or before setup the host's.
std::string wantedName(const std::string& settingName, const std::string& hostName) {
  return instanceName(settingName.empty() ? "Nestbox on " + hostName : settingName);
}

bool isLoopback(const std::string& address) { return address == "::1" || address.rfind("127.", 0) == 0; }

}  // namespace

NetworkPresence::NetworkPresence(BoxIdentity identity, SettingsService& settings, LockdownService& lockdown, system::MdnsPublisher* publisher, HostLookup host,
                                 CertificateFollower followCertificate)
    : identity_(std::move(identity)),
      settings_(settings),
      lockdown_(lockdown),
      publisher_(publisher),
      host_(std::move(host)),
      followCertificate_(std::move(followCertificate)) {
  if (!publisher_) {
    mdns_.state = system::MdnsStatus::State::unavailable;
    mdns_.detail = "mDNS is switched off in the configuration (mdns = off)";
  }
}

std::string NetworkPresence::boxIdFor(const std::string& caFingerprint) {
  return hexWithoutColons(caFingerprint).substr(0, 16);
}

system::MdnsAnnouncement NetworkPresence::announcementFor(const std::string& state, const std::string& settingName,
                                                          const std::string& hostName) const {
  system::MdnsAnnouncement a;
  a.name = wantedName(settingName, hostName);
  a.services.push_back({"_https._tcp", identity_.httpsPort, {"path=/"}});
  a.services.push_back({"_nestbox._tcp",
                        identity_.httpsPort,
                        {"txtvers=1", "version=" + identity_.version, "id=" + boxIdFor(identity_.caFingerprint),
                         "ca_sha256=" + hexWithoutColons(identity_.caFingerprint), "state=" + state}});
  return a;
}

void NetworkPresence::tick() {
  try {
    const HostFacts facts = host_();
    // Setup is complete once the setting exists.
    const auto setting = settings_.current();
    const std::string settingName = setting ? setting->name : "";
    const std::string state = lockdown_.engaged() ? "lockdown" : setting ? "ok" : "setup";
    if (publisher_) publisher_->announce(announcementFor(state, settingName, facts.hostName));
    const system::MdnsStatus mdns = publisher_ ? publisher_->status() : mdns_;

    // The certificate follows the host's names and the mDNS name in use.
    security::CertificateNames names{facts.hostName, facts.addresses,
                                     mdns.hostName == facts.hostName + ".local" ? "" : mdns.hostName};
    std::optional<security::CertificateNames> before;
    system::MdnsStatus previous;
    {
      std::lock_guard lock(mutex_);
      before = certificateNames_;
      previous = mdns_;
    }
    if (!before || *before != names) {
      if (before && (before->hostname != names.hostname || before->mdnsHostName != names.mdnsHostName)) {
        logEvent(Event::MdnsHostRenamed, {{"from", before->mdnsHostName.empty() ? before->hostname + ".local"
                                                                                : before->mdnsHostName},
                                          {"to", names.mdnsHostName.empty() ? names.hostname + ".local"
                                                                            : names.mdnsHostName}});
      }
      followCertificate_(names);
    }

    using State = system::MdnsStatus::State;
    if (mdns.state != previous.state || (mdns.state == State::published && mdns.publishedName != previous.publishedName)) {
      if (mdns.state == State::published) {
        logEvent(Event::MdnsPublished, {{"name", mdns.publishedName}, {"host", mdns.hostName}, {"state", state}});
      } else if (mdns.state == State::unavailable) {
        logEvent(Event::MdnsUnavailable, {{"reason", mdns.detail}});
      }
    }
    if (mdns.collisions > previous.collisions) {
      logEvent(Event::MdnsNameCollision,
               {{"wanted", wantedName(settingName, facts.hostName)}, {"in_use", mdns.publishedName}});
    }

    std::lock_guard lock(mutex_);
    certificateNames_ = names;
    mdns_ = mdns;
    state_ = state;
    hostFacts_ = facts;
    announcedName_ = mdns.publishedName.empty() ? wantedName(settingName, facts.hostName) : mdns.publishedName;
  } catch (const std::exception& e) {
    logEvent(Event::PresenceFailed, {{"error", e.what()}});
  }
}

void NetworkPresence::recheckCertificate() {
  std::optional<security::CertificateNames> names;
  {
    std::lock_guard lock(mutex_);
    names = certificateNames_;
  }
  if (!names) return;
  try {
    followCertificate_(*names);
  } catch (const std::exception& e) {
    logEvent(Event::PresenceFailed, {{"error", e.what()}});
  }
}

PresenceView NetworkPresence::view() const {
  std::lock_guard lock(mutex_);
  PresenceView v;
  v.state = state_;
  v.serviceName = announcedName_;
  v.hostName = !mdns_.hostName.empty() ? mdns_.hostName : hostFacts_.hostName + ".local";
  const std::string port = identity_.httpsPort == 443 ? "" : ":" + std::to_string(identity_.httpsPort);
  v.url = "https://" + v.hostName + port + "/";
  for (const auto& address : hostFacts_.addresses) {
    if (isLoopback(address)) continue;
    v.addresses.push_back(address);
    const bool v6 = address.find(':') != std::string::npos;
    v.addressUrls.push_back("https://" + (v6 ? "[" + address + "]" : address) + port + "/");
  }
  v.mdns = system::mdnsStateName(mdns_.state);
  v.mdnsDetail = mdns_.detail;
  v.boxId = boxIdFor(identity_.caFingerprint);
  v.caFingerprint = identity_.caFingerprint;
  return v;
}

}  // namespace nestbox::domain
