// Registered devices: the P-256 proof a tablet gives, enrolment codes, challenges that work
// once, and revocation when a device is reported lost.
#include <catch2/catch.hpp>

#include <functional>
#include <set>

#include "api_client.hpp"
#include "journal_setting.hpp"
#include "security/device_keys.hpp"
#include "tablet_key.hpp"

using namespace nestbox;
using domain::ErrorKind;
using testing::kindOf;
using testing::TabletKey;


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
  CHECK(t.s.auditCount("NBX_DEVICE_ENROLLED") == 2);  // and the setting's tablet Kate signed in on
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
                                 std::nullopt, std::nullopt, device.id, t.s.clock.now(), std::nullopt};
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
  const auto listed = Json::parse(manager.call("GET", "/api/v1/devices").body);
  for (const auto& d : listed["devices"]) CHECK(d["alert"] == false);
}

namespace {
// The code of the DomainError `f` throws, or "" when it throws none.
std::string codeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const domain::DomainError& e) {
    return e.code;
  }
  return "";
}
}  // namespace

TEST_CASE("staff sign in only with a fresh proof from a registered, un-revoked device") {
  testing::JournalSetting t;
  auto& s = t.s;
  const std::string pw = "green apple orchard";
  // No proof: refused after the password, and audited.
  CHECK(codeOf([&] { s.sessions.signIn("kate", pw, s.origin); }) == "device_required");
  CHECK(s.auditCount("NBX_SIGNIN_NEEDS_DEVICE") == 1);
  // Signed by another key, or a challenge replayed, or never issued: refused.
  TabletKey stranger;
  const auto challenge = s.devices.challenge(s.tablet().id);
  CHECK(codeOf([&] { s.sessions.signIn("kate", pw, s.origin, domain::DeviceProof{s.tablet().id, challenge, stranger.sign(challenge)}); }) ==
        "device_not_recognised");
  const auto good = s.proof();
  const auto session = s.sessions.signIn("kate", pw, s.origin, good);
  CHECK(session.principal.deviceId == s.tablet().id);
  CHECK(codeOf([&] { s.sessions.signIn("kate", pw, s.origin, good); }) == "device_not_recognised");  // replayed
  CHECK(codeOf([&] { s.sessions.signIn("kate", pw, s.origin, domain::DeviceProof{s.tablet().id, "made-up", "x"}); }) ==
        "device_not_recognised");
  CHECK(s.auditCount("NBX_DEVICE_PROOF_REJECTED") == 3);
  // The session is bound: the device shows who used it last, from where.
  const auto device = *s.store.device(s.tablet().id);
  CHECK(device.lastUserId == t.staff.userId);
  CHECK(device.lastAddress == s.origin.address);
  // Managers may sign in unbound at an office computer; parents' proofs are not bound.
  CHECK_FALSE(s.sessions.signIn("manager", testing::kManagerPassword, s.origin).principal.deviceId);
  CHECK_FALSE(s.sessions.signIn("parent.a", "blue whale singing", s.origin, s.proof()).principal.deviceId);
  // Revoked: the key stops verifying and its sessions end at once.
  s.devices.report(t.staff, s.tablet().id, {"lost", ""});
  CHECK_FALSE(s.sessions.authenticate(session.token, s.origin).principal);
  CHECK(kindOf([&] { s.devices.challenge(s.tablet().id); }) == ErrorKind::notFound);  // no proof can be made
}

TEST_CASE("a device-bound session renews its proof every half hour, only with its own device") {
  testing::JournalSetting t;
  auto& s = t.s;
  const auto session = s.signInOnTablet("kate", "green apple orchard");
  // Keep the session alive past thirty minutes (staff idle time is five minutes).
  for (int i = 0; i < 8; ++i) {
    s.clock.advance(4 * 60);
    REQUIRE(s.sessions.authenticate(session.token, s.origin).principal);
  }
  const auto due = s.sessions.authenticate(session.token, s.origin);
  REQUIRE(due.principal);
  CHECK(due.deviceProofDue);
  // Another registered tablet's proof does not renew it.
  const auto other = s.devices.enrol(s.devices.create(t.manager, "Green room iPad", std::nullopt).code, TabletKey().publicKey(), s.origin);
  CHECK(codeOf([&] { s.sessions.renewDeviceProof(*due.principal, {other.id, s.devices.challenge(other.id), "sig"}); }) ==
        "device_not_recognised");
  s.sessions.renewDeviceProof(*due.principal, s.proof());
  CHECK_FALSE(s.sessions.authenticate(session.token, s.origin).deviceProofDue);

  // Over the API: a due proof answers 401 device_proof_required until renewed.
  testing::Client kate(s);
  REQUIRE(kate.signIn("kate", "green apple orchard").status == 200);
  for (int i = 0; i < 8; ++i) {
    s.clock.advance(4 * 60);
    REQUIRE(kate.call("GET", "/api/v1/auth/session").status == 200);
  }
  const auto refused = kate.call("GET", "/api/v1/children");
  CHECK(refused.status == 401);
  CHECK(kate.json(refused)["error"] == "device_proof_required");
  const auto proof = s.proof();
  CHECK(kate.call("POST", "/api/v1/auth/renew",
                  Json{{"device_id", proof.deviceId}, {"challenge", proof.challenge}, {"signature", proof.signature}}.dump())
            .status == 200);
  CHECK(kate.call("GET", "/api/v1/children").status == 200);
}

TEST_CASE("uploads come only from a registered device on one of the setting's secure networks") {
  testing::JournalSetting t;
  auto& s = t.s;
  // On the tablet, on the staff network: accepted.
  CHECK_NOTHROW(s.media.createUpload(t.staff, 1000, "a.jpg"));
  // A manager at an office computer (no device): refused with what to do.
  const auto office = s.sessions.signIn("manager", testing::kManagerPassword, s.origin).principal;
  CHECK(codeOf([&] { s.media.createUpload(office, 1000, "a.jpg"); }) == "device_required");
  // The tablet on the guest Wi-Fi: refused, and audited.
  auto guest = t.staff;
  guest.origin.address = "203.0.113.7";
  CHECK(codeOf([&] { s.media.createUpload(guest, 1000, "a.jpg"); }) == "insecure_network");
  CHECK(s.auditCount("NBX_UPLOAD_REFUSED_NETWORK") == 2);
  // An upload started on the staff network cannot be continued from the guest network.
  const auto upload = s.media.createUpload(t.staff, 4, "b.jpg");
  CHECK(codeOf([&] { s.media.append(guest, upload.id, 0, 4, std::nullopt); }) == "insecure_network");
  // Parents add photos from home, from any network.
  auto parentAtHome = t.parentA;
  parentAtHome.origin.address = "203.0.113.8";
  CHECK_NOTHROW(s.media.createUpload(parentAtHome, 1000, "home.jpg"));
  // A manager narrows the secure networks to the staff Wi-Fi: the old address is refused.
  domain::SettingsChange change;
  change.secureSubnets = "10.20.0.0/16,\n fd00:20::/64";
  CHECK(s.settings.update(t.manager, change).secureSubnets == "10.20.0.0/16, fd00:20::/64");
  CHECK(codeOf([&] { s.media.createUpload(t.staff, 1000, "a.jpg"); }) == "insecure_network");
  auto onStaffWifi = t.staff;
  onStaffWifi.origin.address = "10.20.3.4";
  CHECK_NOTHROW(s.media.createUpload(onStaffWifi, 1000, "a.jpg"));
  onStaffWifi.origin.address = "fd00:20::17";
  CHECK_NOTHROW(s.media.createUpload(onStaffWifi, 1000, "a.jpg"));
  change.secureSubnets = "10.20.0.1/16";  // host bits set: a typing mistake
  CHECK(codeOf([&] { s.settings.update(t.manager, change); }) == "invalid");
  change.secureSubnets = " , ";
  CHECK(codeOf([&] { s.settings.update(t.manager, change); }) == "invalid");
  CHECK(s.settings.current()->secureSubnets == "10.20.0.0/16, fd00:20::/64");
}

TEST_CASE("the shared-tablet PIN switch: only on a registered device, five wrong PINs need the password") {
  testing::JournalSetting t;
  auto& s = t.s;
  s.accounts.setOwnPin(t.staff, "green apple orchard", "4826");
  // The picker lists staff with a PIN, only for a registered tablet.
  const auto people = s.sessions.pinUsers(s.proof());
  REQUIRE(people.size() == 1);
  CHECK(people[0].id == t.staff.userId);
  CHECK(codeOf([&] { s.sessions.pinUsers({s.tablet().id, "never issued", "sig"}); }) == "device_not_recognised");
  // The right PIN on the tablet opens a session bound to it.
  const auto in = s.sessions.pinSignIn(t.staff.userId, "4826", s.proof(), s.origin);
  CHECK(in.principal.deviceId == s.tablet().id);
  CHECK(s.auditCount("NBX_PIN_SIGNIN") == 1);
  // A PIN is never a password, and never works without the tablet's proof.
  CHECK(kindOf([&] { s.sessions.signIn("kate", "4826", s.origin, s.proof()); }) == ErrorKind::unauthenticated);
  CHECK(codeOf([&] { s.sessions.pinSignIn(t.staff.userId, "4826", domain::DeviceProof{s.tablet().id, "x", "y"}, s.origin); }) ==
        "device_not_recognised");
  // Neither without any proof (and no client certificate).
  CHECK(codeOf([&] { s.sessions.pinSignIn(t.staff.userId, "4826", std::nullopt, s.origin); }) == "device_not_recognised");
  // Parents have no PIN switch.
  CHECK(codeOf([&] { s.sessions.pinSignIn(t.parentA.userId, "4826", s.proof(), s.origin); }) == "wrong_pin");
  // Five wrong PINs switch it off, even for the right PIN, until a password sign-in.
  for (int i = 0; i < 4; ++i) CHECK(codeOf([&] { s.sessions.pinSignIn(t.staff.userId, "1397", s.proof(), s.origin); }) == "wrong_pin");
  CHECK(codeOf([&] { s.sessions.pinSignIn(t.staff.userId, "1397", s.proof(), s.origin); }) == "pin_locked");
  CHECK(s.auditCount("NBX_PIN_LOCKED") == 1);
  CHECK(codeOf([&] { s.sessions.pinSignIn(t.staff.userId, "4826", s.proof(), s.origin); }) == "pin_locked");
  CHECK(s.sessions.pinUsers(s.proof())[0].pinLocked);
  s.signInOnTablet("kate", "green apple orchard");
  CHECK_NOTHROW(s.sessions.pinSignIn(t.staff.userId, "4826", s.proof(), s.origin));
}

TEST_CASE("sign out everywhere ends every session of mine, this one too") {
  testing::JournalSetting t;
  auto& s = t.s;
  const auto a = s.signInOnTablet("kate", "green apple orchard");
  const auto b = s.signInOnTablet("kate", "green apple orchard");
  const auto other = s.sessions.signIn("manager", testing::kManagerPassword, s.origin);
  CHECK(s.sessions.signOutEverywhere(a.principal) >= 2);
  CHECK_FALSE(s.sessions.authenticate(a.token, s.origin).principal);
  CHECK_FALSE(s.sessions.authenticate(b.token, s.origin).principal);
  CHECK(s.sessions.authenticate(other.token, s.origin).principal);
  CHECK(s.auditCount("NBX_SIGNED_OUT_EVERYWHERE") == 1);
}

TEST_CASE("child view shows one child's journal and reaches nothing else until a staff PIN") {
  testing::JournalSetting t;
  auto& s = t.s;
  s.accounts.setOwnPin(t.staff, "green apple orchard", "4826");
  const auto own = t.observe({t.a.id});
  const auto group = t.observe({t.a.id, t.b.id});
  const auto other = t.observe({t.b.id});
  const auto draft = t.observe({t.a.id}, "draft");
  testing::Client tablet(s), office(s);
  REQUIRE(tablet.signIn("kate", "green apple orchard").status == 200);
  REQUIRE(office.signInUnregistered("manager", testing::kManagerPassword).status == 200);
  // Only on a registered device.
  CHECK(office.json(office.call("POST", "/api/v1/child-view", Json{{"child_id", t.a.id}}.dump()))["error"] == "device_required");
  CHECK(tablet.call("POST", "/api/v1/child-view", Json{{"child_id", "0123456789abcdef0123456789abcdef"}}.dump()).status == 404);
  REQUIRE(tablet.call("POST", "/api/v1/child-view", Json{{"child_id", t.a.id}}.dump()).status == 200);
  CHECK(s.auditCount("NBX_CHILD_VIEW_ENTERED") == 1);

  const auto journal = tablet.json(tablet.call("GET", "/api/v1/child-view"));
  CHECK(journal["child"]["first_name"] == "Ava");
  std::set<std::string> ids;
  for (const auto& e : journal["entries"]) {
    ids.insert(e["id"]);
    CHECK(e["child_ids"] == Json::array({t.a.id}));  // never another child, even on a group entry
  }
  CHECK(ids == std::set<std::string>{own.entry.id, group.entry.id});
  CHECK_FALSE(ids.contains(other.entry.id));
  CHECK_FALSE(ids.contains(draft.entry.id));
  // Nothing else: not the children list, not entries, not comments, not settings, not devices.
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/children"}, {"GET", "/api/v1/entries"}, {"GET", "/api/v1/entries/" + other.entry.id},
           {"GET", "/api/v1/entries/" + own.entry.id + "/threads/" + t.a.id}, {"GET", "/api/v1/settings"},
           {"GET", "/api/v1/devices"}, {"GET", "/api/v1/me/sessions"}, {"POST", "/api/v1/child-view"},
           {"POST", "/api/v1/auth/sign-out-everywhere"}, {"GET", "/api/v1/media/0123456789abcdef0123456789abcdef"}}) {
    INFO(method << " " << path);
    const auto r = tablet.call(method, path, method == "GET" ? "" : Json{{"child_id", t.b.id}}.dump());
    CHECK(r.status == 403);
    CHECK(tablet.json(r)["error"] == "child_view");
  }
  CHECK(s.auditCount("NBX_CHILD_VIEW_REFUSED") == 10);
  // Leaving needs the staff member's PIN.
  const auto wrong = tablet.call("POST", "/api/v1/child-view/leave", Json{{"pin", "1397"}}.dump());
  CHECK(wrong.status == 401);
  CHECK(tablet.call("GET", "/api/v1/children").status == 403);
  CHECK(tablet.call("POST", "/api/v1/child-view/leave", Json{{"pin", "4826"}}.dump()).status == 200);
  CHECK(tablet.call("GET", "/api/v1/children").status == 200);
  CHECK(tablet.call("GET", "/api/v1/child-view").status == 403);  // not in child view any more
}
