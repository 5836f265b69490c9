// Registered devices: the P-256 proof a tablet gives, enrolment codes, challenges that work
// once, and revocation when a device is reported lost.
#include <catch2/catch.hpp>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "api_client.hpp"
#include "journal_setting.hpp"
#include "security/device_keys.hpp"

using namespace nestbox;
using domain::ErrorKind;
using testing::kindOf;

namespace {

// A key as a tablet's browser holds it: signs like WebCrypto (P1363 r || s), exports SPKI.
class TabletKey {
 public:
  explicit TabletKey(const char* curve = "P-256") : key_(EVP_EC_gen(curve)) { REQUIRE(key_); }
  ~TabletKey() { EVP_PKEY_free(key_); }
  TabletKey(const TabletKey&) = delete;
  TabletKey& operator=(const TabletKey&) = delete;

  std::string publicKey() const {
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(key_, &der);
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
    OPENSSL_free(der);
    return security::base64Encode(out);
  }

  std::string sign(const std::string& message) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_);
    std::size_t size = 0;
    EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    std::string der(size, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &size,
                   reinterpret_cast<const unsigned char*>(message.data()), message.size());
    EVP_MD_CTX_free(ctx);
    der.resize(size);
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
    unsigned char raw[64] = {};
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
    ECDSA_SIG_free(sig);
    return security::base64Encode(std::string(reinterpret_cast<char*>(raw), 64));
  }

 private:
  EVP_PKEY* key_;
};

}  // namespace

TEST_CASE("device proofs: a P-256 signature verifies only with its key, over its message") {
  TabletKey tablet, other;
  const std::string message = "challenge-123";
  const auto signature = tablet.sign(message);
  CHECK(security::isP256PublicKey(tablet.publicKey()));
  CHECK(security::verifyP256Signature(tablet.publicKey(), message, signature));
  CHECK_FALSE(security::verifyP256Signature(other.publicKey(), message, signature));
  CHECK_FALSE(security::verifyP256Signature(tablet.publicKey(), "challenge-124", signature));
  CHECK_FALSE(security::verifyP256Signature(tablet.publicKey(), message, "not base64!"));
  CHECK_FALSE(security::verifyP256Signature(tablet.publicKey(), message, security::base64Encode(std::string(64, '\0'))));
  CHECK_FALSE(security::verifyP256Signature("AAAA", message, signature));
  TabletKey p384("P-384");
  CHECK_FALSE(security::isP256PublicKey(p384.publicKey()));
  CHECK_FALSE(security::isP256PublicKey(tablet.publicKey() + "AAAA"));
}

TEST_CASE("enrolment codes are single-use, expire in ten minutes, and only managers issue them") {
  testing::JournalSetting t;
  auto& devices = t.s.devices;
  CHECK(kindOf([&] { devices.create(t.staff, "Blue room iPad", std::nullopt); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { devices.create(t.manager, "", std::nullopt); }) == ErrorKind::invalid);
  const auto enrolment = devices.create(t.manager, "Blue room iPad 2", t.nursery.id);
  CHECK(enrolment.device.state == "pending");
  CHECK(enrolment.code.size() == 19);  // 80 bits, grouped in fours
  TabletKey tablet;
  const auto enrolled = devices.enrol(enrolment.code, tablet.publicKey(), t.s.origin);
  CHECK(enrolled.state == "active");
  CHECK(t.s.auditCount("NBX_DEVICE_ENROLLED") == 1);
  // Used once: a second tablet with the same code is refused.
  TabletKey second;
  CHECK(kindOf([&] { devices.enrol(enrolment.code, second.publicKey(), t.s.origin); }) == ErrorKind::invalid);
  // Expired after ten minutes.
  const auto late = devices.create(t.manager, "Green room iPad", std::nullopt);
  t.s.clock.advance(10 * 60);
  CHECK(kindOf([&] { devices.enrol(late.code, second.publicKey(), t.s.origin); }) == ErrorKind::invalid);
  // Not a P-256 key.
  const auto fresh = devices.create(t.manager, "Spare iPad", std::nullopt);
  CHECK(kindOf([&] { devices.enrol(fresh.code, "AAAA", t.s.origin); }) == ErrorKind::invalid);
  // Guessing codes is throttled by address: five wrong codes (two above) and even the right
  // one is refused for a while.
  int wrong = 2;
  while (kindOf([&] { devices.enrol("AAAA-BBBB-CCCC-DDDD", second.publicKey(), t.s.origin); }) == ErrorKind::invalid) ++wrong;
  CHECK(wrong == 5);
  CHECK(kindOf([&] { devices.enrol(fresh.code, second.publicKey(), t.s.origin); }) == ErrorKind::throttled);
  CHECK(t.s.auditCount("NBX_DEVICE_ENROLMENT_REJECTED") == 5);
  t.s.clock.advance(15 * 60);  // the lock lifts (the code has expired meanwhile: a new one)
  CHECK(devices.enrol(devices.reEnrol(t.manager, fresh.device.id).code, second.publicKey(), t.s.origin).state == "active");
}

TEST_CASE("a device proves itself once per challenge; other keys, replays and expired challenges fail") {
  testing::JournalSetting t;
  auto& devices = t.s.devices;
  TabletKey tablet, thief;
  const auto a = devices.enrol(devices.create(t.manager, "iPad A", std::nullopt).code, tablet.publicKey(), t.s.origin);
  const auto b = devices.enrol(devices.create(t.manager, "iPad B", std::nullopt).code, thief.publicKey(), t.s.origin);

  const auto challenge = devices.challenge(a.id);
  CHECK(devices.verify(a.id, challenge, tablet.sign(challenge)));
  CHECK_FALSE(devices.verify(a.id, challenge, tablet.sign(challenge)));  // replayed
  const auto next = devices.challenge(a.id);
  CHECK_FALSE(devices.verify(a.id, next, thief.sign(next)));             // signed by another key
  const auto forB = devices.challenge(b.id);
  CHECK_FALSE(devices.verify(a.id, forB, tablet.sign(forB)));            // issued to another device
  const auto old = devices.challenge(a.id);
  t.s.clock.advance(61);
  CHECK_FALSE(devices.verify(a.id, old, tablet.sign(old)));              // expired
  CHECK_FALSE(devices.verify(a.id, "made-up", tablet.sign("made-up")));  // never issued
  CHECK(kindOf([&] { devices.challenge(std::string(32, '0')); }) == ErrorKind::notFound);
}

TEST_CASE("a device reported lost is revoked at once: its key, sessions and unfinished uploads end") {
  testing::JournalSetting t;
  auto& devices = t.s.devices;
  TabletKey tablet;
  const auto device = devices.enrol(devices.create(t.manager, "Blue room iPad", t.nursery.id).code, tablet.publicKey(), t.s.origin);
  const auto pending = devices.challenge(device.id);
  // A session and an unfinished upload from that device.
  storage::SessionRecord session{"s1", "hash-s1", t.staff.userId, "csrf", t.s.clock.now(), t.s.clock.now(), "192.0.2.1", "ua",
                                 std::nullopt, std::nullopt, device.id};
  t.s.store.insertSession(session);
  const auto upload = t.s.media.createUpload(t.staff, 1000, "photo.jpg");
  t.s.store.transaction([&] {
    auto u = *t.s.store.upload(upload.id);
    u.deviceId = device.id;
    t.s.store.updateUpload(u);
  });
  t.s.store.touchDevice(device.id, t.s.clock.now(), t.staff.userId, "192.0.2.1");

  CHECK(kindOf([&] { devices.report(t.parentA, device.id, {"lost", ""}); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { devices.report(t.staff, device.id, {"misplaced", ""}); }) == ErrorKind::invalid);
  const auto revoked = devices.report(t.staff, device.id, {"lost", "Left on the bus after the outing"});
  CHECK(revoked.state == "revoked");
  CHECK_FALSE(devices.verify(device.id, pending, tablet.sign(pending)));
  CHECK(kindOf([&] { devices.challenge(device.id); }) == ErrorKind::notFound);
  CHECK(t.s.store.sessionById("s1")->endedAt.has_value());
  CHECK_FALSE(t.s.store.upload(upload.id).has_value());
  // Managers see the alert until they acknowledge it; the report is in the audit log.
  CHECK(devices.list(t.manager).front().alertAcknowledged == false);
  storage::AuditQuery q;
  q.event = "NBX_DEVICE_REVOKED";
  const auto rows = t.s.store.audit(q);
  REQUIRE(rows.size() == 1);
  const auto detail = Json::parse(rows[0].detail);
  CHECK(detail["what"] == "lost");
  CHECK(detail["last_user"] == "kate");
  CHECK(detail["unfinished_uploads_discarded"] == 1);
  CHECK(detail["sessions_ended"] == 1);
  CHECK(kindOf([&] { devices.acknowledge(t.staff, device.id); }) == ErrorKind::forbidden);
  devices.acknowledge(t.manager, device.id);
  CHECK(devices.list(t.manager).front().alertAcknowledged);

  // Found again: re-enrolled with a new key; the old one never verifies again.
  const auto again = devices.reEnrol(t.manager, device.id);
  TabletKey fresh;
  devices.enrol(again.code, fresh.publicKey(), t.s.origin);
  const auto challenge = devices.challenge(device.id);
  CHECK_FALSE(devices.verify(device.id, challenge, tablet.sign(challenge)));
  const auto second = devices.challenge(device.id);
  CHECK(devices.verify(device.id, second, fresh.sign(second)));
}

TEST_CASE("device routes: managers manage, staff list and report, tablets enrol without a session") {
  testing::JournalSetting t;
  testing::Client manager(t.s), kate(t.s), parent(t.s), tablet(t.s);
  REQUIRE(manager.signIn("manager", testing::kManagerPassword).status == 200);
  REQUIRE(kate.signIn("kate", "green apple orchard").status == 200);
  REQUIRE(parent.signIn("parent.a", "blue whale singing").status == 200);
  auto created = manager.call("POST", "/api/v1/devices", Json{{"name", "Blue room iPad"}, {"room_id", t.nursery.id}}.dump());
  REQUIRE(created.status == 201);
  const auto json = Json::parse(created.body);
  const std::string id = json["device"]["id"], code = json["enrolment"]["code"];
  CHECK(kate.call("POST", "/api/v1/devices", Json{{"name", "Mine"}}.dump()).status == 403);
  CHECK(parent.call("GET", "/api/v1/devices").status == 403);
  CHECK(kate.call("GET", "/api/v1/devices").status == 200);
  TabletKey key;
  CHECK(tablet.call("POST", "/api/v1/devices/enrol", Json{{"code", code}, {"public_key", key.publicKey()}}.dump()).status == 201);
  CHECK(tablet.call("POST", "/api/v1/devices/enrol", Json{{"code", code}, {"public_key", key.publicKey()}}.dump()).status == 400);
  CHECK(tablet.call("POST", "/api/v1/devices/" + id + "/challenge").status == 200);
  CHECK(parent.call("POST", "/api/v1/devices/" + id + "/report", Json{{"what", "lost"}}.dump()).status == 403);
  CHECK(kate.call("POST", "/api/v1/devices/" + id + "/report", Json{{"what", "stolen"}}.dump()).status == 200);
  CHECK(tablet.call("POST", "/api/v1/devices/" + id + "/challenge").status == 404);
  CHECK(manager.call("POST", "/api/v1/devices/" + id + "/acknowledge").status == 200);
  CHECK(Json::parse(manager.call("GET", "/api/v1/devices").body)["devices"][0]["alert"] == false);
}
