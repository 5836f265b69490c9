// The box on the network (issue 8): what it announces by mDNS, when the announcement
// changes, which names its certificate must carry, and what /api/v1/box shows.
#include <catch2/catch.hpp>

#include <algorithm>

#include "api_client.hpp"
#include "security/certificate_authority.hpp"

using namespace nestbox;

namespace {

const system::MdnsService& service(const system::MdnsAnnouncement& a, const std::string& type) {
  const auto it = std::find_if(a.services.begin(), a.services.end(), [&](const auto& s) { return s.type == type; });
  REQUIRE(it != a.services.end());
  return *it;
}

bool hasTxt(const system::MdnsService& s, const std::string& entry) {
  return std::find(s.txt.begin(), s.txt.end(), entry) != s.txt.end();
}

}  // namespace

TEST_CASE("before setup the box announces itself by host name with state=setup, its box id and CA fingerprint") {
  testing::Stack s;
  s.presence.tick();
  REQUIRE(s.mdns.announcements.size() == 1);
  const auto& a = s.mdns.announcements.back();
  CHECK(a.name == "Nestbox on nestbox");
  const auto& https = service(a, "_https._tcp");
  CHECK(https.port == 443);
  CHECK(hasTxt(https, "path=/"));
  const auto& box = service(a, "_nestbox._tcp");
  CHECK(box.port == 443);
  CHECK(hasTxt(box, "txtvers=1"));
  CHECK(hasTxt(box, "version=0.1.0"));
  CHECK(hasTxt(box, "state=setup"));
  CHECK(hasTxt(box, "ca_sha256=abcdef0123456789abcd"));
  CHECK(hasTxt(box, "id=abcdef0123456789"));
  for (const auto& entry : box.txt) CHECK(entry.size() <= 255);
}

TEST_CASE("the announcement follows setup, the setting's name and a lockdown, and repeats nothing unchanged") {
  testing::Stack s;
  s.presence.tick();
  s.setUp();
  s.presence.tick();
  REQUIRE(s.mdns.announcements.size() == 2);
  CHECK(s.mdns.announcements.back().name == "Rainbow Nursery");
  CHECK(hasTxt(service(s.mdns.announcements.back(), "_nestbox._tcp"), "state=ok"));
  s.presence.tick();
  CHECK(s.mdns.announcements.size() == 2);

  s.lockdown.engageLocally("cli", "console", "Router replaced by an unknown device");
  s.presence.tick();
  REQUIRE(s.mdns.announcements.size() == 3);
  CHECK(s.mdns.announcements.back().name == "Rainbow Nursery");
  CHECK(hasTxt(service(s.mdns.announcements.back(), "_nestbox._tcp"), "state=lockdown"));
  CHECK(s.presence.view().state == "lockdown");
}

TEST_CASE("a long setting name is cut to DNS-SD's 63 bytes without splitting a character") {
  testing::Stack s;
  // "Nx" and two-byte letters: byte 63 (the 64th) falls inside a letter.
  std::string name = "Nx";
  for (int i = 0; i < 40; ++i) name += "\xC3\xA9";  // é
  const auto a = s.presence.announcementFor("ok", name, "nestbox");
  CHECK(a.name.size() == 62);
  CHECK(a.name == name.substr(0, 62));  // ends on a whole é
  CHECK(s.presence.announcementFor("ok", "Rainbow Nursery", "nestbox").name == "Rainbow Nursery");
}

TEST_CASE("the certificate follows the host name and the mDNS name in use, asked again only when they change") {
  testing::Stack s;
  s.presence.tick();
  REQUIRE(s.certificateRequests.size() == 1);
  CHECK(s.certificateRequests[0].hostname == "nestbox");
  CHECK(s.certificateRequests[0].mdnsHostName.empty());  // nestbox.local is implied
  s.presence.tick();
  CHECK(s.certificateRequests.size() == 1);

  // avahi had to rename the host after a collision on the network.
  s.mdns.current.hostName = "nestbox-2.local";
  s.presence.tick();
  REQUIRE(s.certificateRequests.size() == 2);
  CHECK(s.certificateRequests[1].mdnsHostName == "nestbox-2.local");
  CHECK(s.presence.view().hostName == "nestbox-2.local");
  CHECK(s.presence.view().url == "https://nestbox-2.local/");

  // The host was renamed, or took a new address.
  s.hostFacts.hostName = "garden-room";
  s.presence.tick();
  REQUIRE(s.certificateRequests.size() == 3);
  CHECK(s.certificateRequests[2].hostname == "garden-room");
  s.hostFacts.addresses.push_back("10.0.0.9");
  s.presence.tick();
  REQUIRE(s.certificateRequests.size() == 4);
  CHECK(s.certificateRequests[3].addresses.back() == "10.0.0.9");
}

TEST_CASE("a certificate carries the mDNS name in use, but never a name with odd characters") {
  const auto sans = security::wantedSubjectAltNames({"nestbox", {"192.168.1.2"}, "nestbox-2.local"});
  CHECK(std::find(sans.begin(), sans.end(), "DNS:nestbox-2.local") != sans.end());
  CHECK(std::find(sans.begin(), sans.end(), "DNS:nestbox.local") != sans.end());
  const auto odd = security::wantedSubjectAltNames({"nestbox", {}, "evil.local, DNS:bank.example"});
  CHECK(std::none_of(odd.begin(), odd.end(), [](const std::string& n) { return n.find("bank") != std::string::npos; }));
}

TEST_CASE("/api/v1/box tells anyone where the box is and its fingerprint to compare, also during a lockdown") {
  testing::Stack s;
  s.mdns.current.state = system::MdnsStatus::State::published;
  s.mdns.current.publishedName = "Nestbox on nestbox";
  s.mdns.current.hostName = "nestbox.local";
  s.presence.tick();
  testing::Client anonymous(s);
  auto box = anonymous.json(anonymous.call("GET", "/api/v1/box"));
  CHECK(box["name"] == "Nestbox on nestbox");
  CHECK(box["state"] == "setup");
  CHECK(box["host"] == "nestbox.local");
  CHECK(box["url"] == "https://nestbox.local/");
  CHECK(box["addresses"] == Json::array({"192.168.1.2", "fd00::2"}));  // no loopback
  CHECK(box["address_urls"] == Json::array({"https://192.168.1.2/", "https://[fd00::2]/"}));
  CHECK(box["mdns"]["state"] == "published");
  CHECK(box["ca_fingerprint"] == "AB:CD:EF:01:23:45:67:89:AB:CD");
  CHECK(box["box_id"] == "abcdef0123456789");

  s.lockdown.engageLocally("cli", "console", "Router replaced by an unknown device");
  s.presence.tick();
  const auto during = anonymous.call("GET", "/api/v1/box");
  CHECK(during.status == 200);
  CHECK(anonymous.json(during)["state"] == "lockdown");
}

TEST_CASE("without a publisher, or when avahi is missing, the view says mDNS is unavailable and why") {
  testing::Stack s;
  domain::NetworkPresence off({"0.1.0", "AB:CD", 8443}, s.settings, s.lockdown, nullptr,
                              [] { return domain::HostFacts{"nestbox", {"127.0.0.1"}}; },
                              [](const security::CertificateNames&) {});
  off.tick();
  CHECK(off.view().mdns == "unavailable");
  CHECK(off.view().mdnsDetail.find("mdns = off") != std::string::npos);
  CHECK(off.view().url == "https://nestbox.local:8443/");
  CHECK(off.view().addresses.empty());

  s.mdns.current.state = system::MdnsStatus::State::unavailable;
  s.mdns.current.detail = "avahi-daemon is not running; waiting for it";
  s.presence.tick();
  CHECK(s.presence.view().mdns == "unavailable");
  CHECK(s.presence.view().mdnsDetail == "avahi-daemon is not running; waiting for it");
  CHECK(s.presence.view().hostName == "nestbox.local");
}
