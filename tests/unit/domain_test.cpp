#include <catch2/catch.hpp>

#include "domain/errors.hpp"
#include "fixture.hpp"
#include "security/tokens.hpp"
#include "system/files.hpp"

using namespace nestbox;
using namespace nestbox::domain;
using testing::kindOf;
using testing::kManagerPassword;

namespace {
}  // namespace

TEST_CASE("setup: the code works once, writes its file, and a wrong code writes nothing") {
  testing::Stack s;
  const auto code = s.setup.prepare(s.codeFile);
  REQUIRE(code);
  CHECK(code->size() == 19);  // 16 base32 characters (80 bits) in groups of four
  CHECK(system::readFile(s.codeFile).find(*code) != std::string::npos);
  CHECK_FALSE(s.setup.complete());

  SetupRequest r{"WRONG-CODE", "Rainbow Nursery", "eyfs", "beth", "Beth", std::nullopt, kManagerPassword, "4071"};
  CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::unauthenticated);
  CHECK(s.auditCount("NBX_SETUP_CODE_REJECTED") == 1);
  CHECK(s.store.users({}).empty());

  r.code = *code;
  r.password = "short";
  CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::invalid);
  CHECK(s.store.users({}).empty());
  CHECK_FALSE(s.store.setting());

  r.password = kManagerPassword;
  // A code typed from paper in lower case without dashes still matches.
  std::string typed = *code;
  std::erase(typed, '-');
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  r.code = typed;
  const auto manager = s.setup.run(r, s.origin, s.codeFile);
  CHECK(manager.role == "manager");
  CHECK(manager.pinHash);
  CHECK(s.setup.complete());
  CHECK(s.settings.current()->name == "Rainbow Nursery");
  CHECK_FALSE(system::fileExists(s.codeFile));
  CHECK(s.auditCount("NBX_SETUP_COMPLETED") == 1);

  r.code = *code;
  r.username = "mallory";
  CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::gone);
  CHECK_FALSE(s.setup.prepare(s.codeFile));
}

TEST_CASE("setup: a restart keeps the code while its file is there; without the file the old code stops working") {
  testing::Stack s;
  const auto first = *s.setup.prepare(s.codeFile);
  CHECK(*s.setup.prepare(s.codeFile) == first);  // read off the card after a power-off: still good
  // A file that was edited (or belongs to an older code) does not keep anything.
  system::writeFileAtomic(s.codeFile, "Nestbox one-time setup code: AAAA-BBBB-CCCC-DDDD\n", 0600);
  const auto replaced = *s.setup.prepare(s.codeFile);
  CHECK(replaced != first);
  CHECK(replaced != "AAAA-BBBB-CCCC-DDDD");
  system::removeFileIfExists(s.codeFile);
  const auto second = *s.setup.prepare(s.codeFile);
  CHECK(second != replaced);
  SetupRequest r{first, "Rainbow", "eyfs", "beth", "Beth", std::nullopt, kManagerPassword, std::nullopt};
  CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::unauthenticated);
  r.code = second;
  CHECK_NOTHROW(s.setup.run(r, s.origin, s.codeFile));
}

TEST_CASE("setup: wrong codes from one address are throttled") {
  testing::Stack s;
  s.setup.prepare(s.codeFile);
  SetupRequest r{"nope", "Rainbow", "eyfs", "beth", "Beth", std::nullopt, kManagerPassword, std::nullopt};
  for (int i = 0; i < 10; ++i) CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::unauthenticated);
  CHECK(kindOf([&] { s.setup.run(r, s.origin, s.codeFile); }) == ErrorKind::throttled);
}

TEST_CASE("sign-in: right details make a session, wrong ones are refused and audited") {
  testing::Stack s;
  s.setUp();
  const auto result = s.sessions.signIn("MANAGER", kManagerPassword, s.origin);  // usernames ignore case
  CHECK(result.token.size() == 64);
  CHECK(result.principal.role == Role::manager);
  // Only the digest of the token is stored.
  CHECK(s.store.sessionWithUser(security::sha256Hex(result.token)));
  CHECK(s.store.sessionById(result.principal.sessionId)->tokenHash != result.token);

  CHECK(kindOf([&] { s.sessions.signIn("manager", "wrong password!", s.origin); }) == ErrorKind::unauthenticated);
  CHECK(kindOf([&] { s.sessions.signIn("nobody", "wrong password!", s.origin); }) == ErrorKind::unauthenticated);
  CHECK(s.auditCount("NBX_AUTH_SIGNIN_FAILED") == 2);
  // The typed username of an unknown account is not kept (it may be a password).
  storage::AuditQuery q;
  q.event = "NBX_AUTH_SIGNIN_FAILED";
  const auto entries = s.store.audit(q);
  CHECK_FALSE(entries[0].actorName);
  CHECK(entries[0].detail.find("nobody") == std::string::npos);
  CHECK(entries[1].actorName == "manager");
}

TEST_CASE("sign-in: five failures lock the account for 15 minutes, then it opens again") {
  testing::Stack s;
  s.setUp();
  for (int i = 0; i < 5; ++i) {
    CHECK(kindOf([&] { s.sessions.signIn("manager", "not the password", s.origin); }) == ErrorKind::unauthenticated);
  }
  CHECK(s.auditCount("NBX_AUTH_ACCOUNT_LOCKED") == 1);
  // Even the right password is refused while locked.
  CHECK(kindOf([&] { s.sessions.signIn("manager", kManagerPassword, s.origin); }) == ErrorKind::throttled);
  s.clock.advance(14 * 60);
  CHECK(kindOf([&] { s.sessions.signIn("manager", kManagerPassword, s.origin); }) == ErrorKind::throttled);
  s.clock.advance(61);
  CHECK_NOTHROW(s.sessions.signIn("manager", kManagerPassword, s.origin));
}

TEST_CASE("sign-in: twenty failures from one address block that address for every account") {
  testing::Stack s;
  s.setUp();
  for (int i = 0; i < 20; ++i) {
    CHECK(kindOf([&] { s.sessions.signIn("user" + std::to_string(i), "guess guess", s.origin); }) ==
          ErrorKind::unauthenticated);
  }
  CHECK(s.auditCount("NBX_AUTH_ADDRESS_THROTTLED") == 1);
  CHECK(kindOf([&] { s.sessions.signIn("manager", kManagerPassword, s.origin); }) == ErrorKind::throttled);
  RequestOrigin elsewhere{"192.0.2.99", "ua", std::nullopt};
  CHECK_NOTHROW(s.sessions.signIn("manager", kManagerPassword, elsewhere));
}

TEST_CASE("sessions expire after the role's idle time and absolute lifetime") {
  testing::Stack s;
  const auto manager = s.setUp();
  s.addUser(manager, "parent1", Role::parent, "blue whale singing");
  const auto signedIn = s.sessions.signIn("parent1", "blue whale singing", s.origin);
  const auto& token = signedIn.token;
  // Parent idle default is 30 minutes; activity keeps the session alive.
  s.clock.advance(20 * 60);
  CHECK(s.sessions.authenticate(token, s.origin).principal);
  s.clock.advance(20 * 60);
  CHECK(s.sessions.authenticate(token, s.origin).principal);
  s.clock.advance(31 * 60);
  const auto idle = s.sessions.authenticate(token, s.origin);
  CHECK_FALSE(idle.principal);
  CHECK(idle.rejection == SessionRejection::idleExpired);
  CHECK(s.sessions.authenticate(token, s.origin).rejection == SessionRejection::ended);

  // Absolute lifetime: 12 hours for a manager, however active.
  const auto m = s.sessions.signIn("manager", kManagerPassword, s.origin);
  for (int i = 0; i < 12 * 6; ++i) {
    s.clock.advance(10 * 60);
    if (i < 12 * 6 - 1) REQUIRE(s.sessions.authenticate(m.token, s.origin).principal);
  }
  CHECK(s.sessions.authenticate(m.token, s.origin).rejection == SessionRejection::absoluteExpired);
  CHECK(s.sessions.authenticate("", s.origin).rejection == SessionRejection::missing);
  CHECK(s.sessions.authenticate("deadbeef", s.origin).rejection == SessionRejection::unknown);
}

TEST_CASE("a setting's shorter idle time applies to sessions already open") {
  testing::Stack s;
  const auto manager = s.setUp();
  const auto token = s.sessions.signIn("manager", kManagerPassword, s.origin).token;
  SettingsChange c;
  c.idleMinutesManager = 2;
  s.settings.update(manager, c);
  s.clock.advance(3 * 60);
  CHECK(s.sessions.authenticate(token, s.origin).rejection == SessionRejection::idleExpired);
}

TEST_CASE("sign-out, ending my other sessions, and seeing only my own") {
  testing::Stack s;
  const auto manager = s.setUp();
  s.addUser(manager, "staff1", Role::staff, "green apple orchard");
  const auto a = s.signInOnTablet("staff1", "green apple orchard");
  const auto b = s.signInOnTablet("staff1", "green apple orchard");
  const auto views = s.sessions.listOwn(a.principal);
  REQUIRE(views.size() == 2);
  CHECK(std::count_if(views.begin(), views.end(), [](const SessionView& v) { return v.current; }) == 1);
  // Someone else's session id is simply not found.
  CHECK(kindOf([&] { s.sessions.endOwn(manager, b.principal.sessionId); }) == ErrorKind::notFound);
  s.sessions.endOwn(a.principal, b.principal.sessionId);
  CHECK_FALSE(s.sessions.authenticate(b.token, s.origin).principal);
  s.sessions.signOut(a.principal);
  CHECK_FALSE(s.sessions.authenticate(a.token, s.origin).principal);
  CHECK(s.auditCount("NBX_AUTH_SIGNOUT") == 1);
}

TEST_CASE("accounts: only managers manage them, codes set passwords once") {
  testing::Stack s;
  const auto manager = s.setUp();
  auto [user, code] = s.accounts.create(manager, {"kate.key", "Kate Key", std::string("kate@example.org"), Role::staff});
  CHECK(code.code.size() == 19);
  CHECK(code.expiresAt == s.clock.now() + kOneTimeCodeLifetime);
  CHECK(s.auditCount("NBX_ACCOUNT_CREATED") == 1);
  // Until the code is redeemed nobody knows a password for the account.
  CHECK(kindOf([&] { s.signInOnTablet("kate.key", ""); }) == ErrorKind::unauthenticated);

  CHECK(kindOf([&] { s.accounts.redeemCode("kate.key", code.code, "password123", s.origin); }) == ErrorKind::invalid);
  s.accounts.redeemCode("kate.key", code.code, "sunflowers in july", s.origin);
  CHECK(kindOf([&] { s.accounts.redeemCode("kate.key", code.code, "sunflowers in june", s.origin); }) ==
        ErrorKind::unauthenticated);  // single use
  const auto staff = s.signInOnTablet("kate.key", "sunflowers in july").principal;

  CHECK(kindOf([&] { s.accounts.create(staff, {"x.y", "X", std::nullopt, Role::manager}); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { s.accounts.list(staff, {}); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { s.accounts.get(staff, manager.userId); }) == ErrorKind::forbidden);
  CHECK(s.accounts.get(staff, staff.userId).username == "kate.key");
  CHECK(s.auditCount("NBX_ACCESS_DENIED") == 3);

  CHECK(kindOf([&] { s.accounts.create(manager, {"KATE.KEY", "Dup", std::nullopt, Role::staff}); }) == ErrorKind::conflict);
  CHECK(kindOf([&] { s.accounts.create(manager, {"a b", "Bad", std::nullopt, Role::staff}); }) == ErrorKind::invalid);
  CHECK(kindOf([&] { s.accounts.create(manager, {"good.name", "G", std::string("not-an-email"), Role::staff}); }) ==
        ErrorKind::invalid);
  CHECK(s.store.users({}).size() == 2);
}

TEST_CASE("reset codes expire, and redeeming one ends every session of the account") {
  testing::Stack s;
  const auto manager = s.setUp();
  s.addUser(manager, "dad", Role::parent, "purple dinosaur cake");
  const auto session = s.sessions.signIn("dad", "purple dinosaur cake", s.origin);
  const auto dadId = session.principal.userId;

  const auto late = s.accounts.issueReset(manager, dadId);
  s.clock.advance(kOneTimeCodeLifetime + 1);
  CHECK(kindOf([&] { s.accounts.redeemCode("dad", late.code, "orange dinosaur cake", s.origin); }) ==
        ErrorKind::unauthenticated);

  const auto code = s.accounts.issueReset(manager, dadId);
  s.accounts.redeemCode("dad", code.code, "orange dinosaur cake", s.origin);
  CHECK_FALSE(s.sessions.authenticate(session.token, s.origin).principal);
  CHECK(kindOf([&] { s.sessions.signIn("dad", "purple dinosaur cake", s.origin); }) == ErrorKind::unauthenticated);
  CHECK_NOTHROW(s.sessions.signIn("dad", "orange dinosaur cake", s.origin));
  CHECK(s.auditCount("NBX_PASSWORD_RESET_USED") == 2);  // addUser redeemed one too
}

TEST_CASE("changing my password keeps this session and ends the others") {
  testing::Stack s;
  const auto manager = s.setUp();
  s.addUser(manager, "mum", Role::parent, "yellow submarine song");
  const auto here = s.sessions.signIn("mum", "yellow submarine song", s.origin);
  const auto there = s.sessions.signIn("mum", "yellow submarine song", s.origin);
  CHECK(kindOf([&] { s.accounts.changePassword(here.principal, "wrong current", "red submarine song"); }) ==
        ErrorKind::invalid);
  CHECK(kindOf([&] { s.accounts.changePassword(here.principal, "yellow submarine song", "yellow submarine song"); }) ==
        ErrorKind::invalid);
  s.accounts.changePassword(here.principal, "yellow submarine song", "red submarine song");
  CHECK(s.sessions.authenticate(here.token, s.origin).principal);
  CHECK_FALSE(s.sessions.authenticate(there.token, s.origin).principal);
}

TEST_CASE("deactivation ends sessions at once and refuses sign-in, the last manager stays") {
  testing::Stack s;
  const auto manager = s.setUp();
  const auto staff = s.addUser(manager, "leaver", Role::staff, "autumn leaves falling");
  const auto session = s.signInOnTablet("leaver", "autumn leaves falling");
  s.accounts.deactivate(manager, staff.id);
  CHECK_FALSE(s.sessions.authenticate(session.token, s.origin).principal);
  CHECK(kindOf([&] { s.signInOnTablet("leaver", "autumn leaves falling"); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { s.accounts.deactivate(manager, manager.userId); }) == ErrorKind::conflict);
  AccountChange demote;
  demote.role = Role::staff;
  CHECK(kindOf([&] { s.accounts.update(manager, manager.userId, demote); }) == ErrorKind::conflict);
  s.accounts.reactivate(manager, staff.id);
  CHECK_NOTHROW(s.signInOnTablet("leaver", "autumn leaves falling"));
}

TEST_CASE("a password older than the setting's maximum age must be changed at sign-in") {
  testing::Stack s;
  const auto manager = s.setUp();
  SettingsChange c;
  c.passwordMaxAgeDays = 90;
  s.settings.update(manager, c);
  s.clock.advance(91 * 86400);
  const auto result = s.sessions.signIn("manager", kManagerPassword, s.origin);
  CHECK(result.principal.mustChangePassword);
  s.accounts.changePassword(result.principal, kManagerPassword, "Brand new password 2");
  CHECK_FALSE(s.sessions.signIn("manager", "Brand new password 2", s.origin).principal.mustChangePassword);
}

TEST_CASE("the setting's mixed-character rule applies to new passwords") {
  testing::Stack s;
  const auto manager = s.setUp();
  SettingsChange c;
  c.passwordRequireMixed = true;
  s.settings.update(manager, c);
  auto [user, code] = s.accounts.create(manager, {"sam", "Sam", std::nullopt, Role::staff});
  CHECK(kindOf([&] { s.accounts.redeemCode("sam", code.code, "all lower case words", s.origin); }) == ErrorKind::invalid);
  CHECK_NOTHROW(s.accounts.redeemCode("sam", code.code, "Mixed Case Words 7", s.origin));
}

TEST_CASE("PINs are for staff and managers and must not be trivial") {
  testing::Stack s;
  const auto manager = s.setUp();
  const auto staff = s.addUser(manager, "pat.staff", Role::staff, "marmalade sandwich");
  const auto parent = s.addUser(manager, "pat.parent", Role::parent, "marmalade sandwich");
  CHECK(kindOf([&] { s.accounts.setPinFor(manager, staff.id, "1111"); }) == ErrorKind::invalid);
  CHECK(kindOf([&] { s.accounts.setPinFor(manager, parent.id, "4071"); }) == ErrorKind::invalid);
  s.accounts.setPinFor(manager, staff.id, "4071");
  CHECK(s.hasher.verify(*s.store.userById(staff.id)->pinHash, "4071"));
  const auto staffSession = s.signInOnTablet("pat.staff", "marmalade sandwich").principal;
  CHECK(kindOf([&] { s.accounts.setOwnPin(staffSession, "wrong password", "5820"); }) == ErrorKind::invalid);
  s.accounts.setOwnPin(staffSession, "marmalade sandwich", "5820");
  CHECK(s.auditCount("NBX_PIN_SET") == 2);
}

TEST_CASE("settings: managers change them within bounds, with an audit entry") {
  testing::Stack s;
  const auto manager = s.setUp();
  const auto staff = s.sessions.signIn("manager", kManagerPassword, s.origin);  // same person, for brevity
  SettingsChange c;
  c.framework = "cfe";
  c.idleMinutesStaff = 5;
  s.settings.update(manager, c);
  CHECK(s.settings.current()->framework == "cfe");
  CHECK(s.settings.idleMinutesFor(Role::staff) == 5);
  SettingsChange bad;
  bad.framework = "montessori";
  CHECK(kindOf([&] { s.settings.update(manager, bad); }) == ErrorKind::invalid);
  SettingsChange tooLong;
  tooLong.idleMinutesParent = 100000;
  CHECK(kindOf([&] { s.settings.update(manager, tooLong); }) == ErrorKind::invalid);
  CHECK(s.settings.current()->idleMinutesParent == 30);
  CHECK(s.auditCount("NBX_SETTINGS_CHANGED") == 1);
  (void)staff;
}

TEST_CASE("only managers read the audit log, whatever the caller") {
  testing::Stack s;
  const auto manager = s.setUp();
  s.addUser(manager, "curious", Role::staff, "owls at midnight");
  const auto staff = s.signInOnTablet("curious", "owls at midnight").principal;
  CHECK(kindOf([&] { s.audit.query(staff, {}); }) == ErrorKind::forbidden);
  CHECK(s.auditCount("NBX_ACCESS_DENIED") == 1);
  CHECK_FALSE(s.audit.query(manager, {}).empty());
}
