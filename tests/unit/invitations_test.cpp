// Families linked safely (issue 16): an invitation works for its child only, once, within its
// days, unless cancelled or the child has left; wrong codes are throttled and audited; an
// existing account is attached only after a manager confirms. And the managers' home counts.

#include <catch2/catch.hpp>

#include "domain/errors.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using namespace nestbox::testing;
using domain::ErrorKind;

namespace {
domain::Joiner joiner(const std::string& username) { return {username, "Pat " + username, std::nullopt, "sunny meadow walks"}; }

std::string codeOf(const domain::DomainError& e) { return e.code; }

}  // namespace

TEST_CASE("an invitation makes the family's account, attached to its child only", "[invitations]") {
  JournalSetting t;
  auto& s = t.s;
  const auto made = s.invitations.create(t.manager, t.a.id);
  CHECK(made.code.size() == 19);  // XXXX-XXXX-XXXX-XXXX, 80 bits
  CHECK(made.invitation.record.codeHash != made.code);  // only the hash is kept
  CHECK(s.invitations.redeem(made.code, joiner("pat.new"), s.origin) == "Ava");
  const auto user = s.store.userByUsername("pat.new");
  REQUIRE(user);
  CHECK(user->role == "parent");
  const auto kids = s.store.childrenOfParent(user->id);
  REQUIRE(kids.size() == 1);
  CHECK(kids[0].id == t.a.id);
  // The new parent signs in with the password they chose, agrees, and sees Ava only.
  const auto p = s.sessions.signIn("pat.new", "sunny meadow walks", s.origin).principal;
  CHECK(s.children.children(p, {}).size() == 1);
  CHECK(s.auditCount("NBX_INVITATION_REDEEMED") == 1);
  CHECK(s.auditCount("NBX_CARER_LINKED") >= 1);
  // Used: the same code never works again.
  CHECK(codeOf(errorOf([&] { s.invitations.redeem(made.code, joiner("pat.two"), s.origin); })) == "invalid_invitation");
  CHECK_FALSE(s.store.userByUsername("pat.two"));
}

TEST_CASE("expired, cancelled, tampered and left-child codes are refused with one answer", "[invitations]") {
  JournalSetting t;
  auto& s = t.s;
  const auto expired = s.invitations.create(t.manager, t.a.id);
  const auto cancelled = s.invitations.create(t.manager, t.a.id);
  const auto left = s.invitations.create(t.manager, t.b.id);
  const auto good = s.invitations.create(t.manager, t.c.id);
  s.invitations.cancel(t.manager, cancelled.invitation.record.id);
  domain::ChildChange leaving;
  leaving.leftOn = s.settings.today(s.clock.now());
  s.children.updateChild(t.manager, t.b.id, leaving);
  std::string tampered = good.code;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  s.clock.advance(13 * 86400);
  const auto message = std::string(errorOf([&] { s.invitations.redeem(tampered, joiner("x1"), s.origin); }).what());
  for (const auto& code : {cancelled.code, left.code, tampered, std::string("not-a-code")}) {
    const auto e = errorOf([&] { s.invitations.redeem(code, joiner("x2"), s.origin); });
    CHECK(e.code == "invalid_invitation");
    CHECK(std::string(e.what()) == message);
  }
  CHECK_NOTHROW(s.invitations.redeem(good.code, joiner("in.time"), s.origin));  // day 13 of 14
  s.clock.advance(2 * 86400);
  CHECK(codeOf(errorOf([&] { s.invitations.redeem(expired.code, joiner("x3"), s.origin); })) == "invalid_invitation");
  const auto states = s.invitations.ofChild(t.manager, t.a.id);
  REQUIRE(states.size() == 2);
  CHECK(((states[0].state == "expired" && states[1].state == "cancelled") || (states[0].state == "cancelled" && states[1].state == "expired")));
  CHECK(s.invitations.ofChild(t.manager, t.b.id)[0].state == "void");
  CHECK(s.auditCount("NBX_INVITATION_REFUSED") == 6);
  CHECK(kindOf([&] { s.invitations.create(t.manager, t.b.id); }) == ErrorKind::conflict);  // Ben has left
  CHECK(kindOf([&] { s.invitations.create(t.staff, t.a.id); }) == ErrorKind::forbidden);
}

TEST_CASE("wrong codes are throttled per address", "[invitations]") {
  JournalSetting t;
  auto& s = t.s;
  const auto good = s.invitations.create(t.manager, t.a.id);
  for (int i = 0; i < 20; ++i) errorOf([&] { s.invitations.redeem("WRONG-CODE-" + std::to_string(i), joiner("x"), s.origin); });
  CHECK(errorOf([&] { s.invitations.redeem(good.code, joiner("late"), s.origin); }).kind == ErrorKind::throttled);
  auto elsewhere = s.origin;
  elsewhere.address = "192.168.1.77";
  CHECK_NOTHROW(s.invitations.redeem(good.code, joiner("other.place"), elsewhere));
}

TEST_CASE("an existing account is attached only after a manager confirms", "[invitations]") {
  JournalSetting t;
  auto& s = t.s;
  const auto made = s.invitations.create(t.manager, t.c.id);
  CHECK(s.invitations.claim(t.parentA, made.code) == "Cara");
  CHECK_FALSE(s.children.isCarer(t.parentA.userId, t.c.id));  // not yet
  CHECK(s.invitations.waitingCount() == 1);
  const auto waiting = s.invitations.waiting(t.manager);
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0].child.id == t.c.id);
  CHECK(waiting[0].account.id == t.parentA.userId);
  REQUIRE(waiting[0].accountChildren.size() == 1);
  CHECK(waiting[0].accountChildren[0].id == t.a.id);  // the manager sees who else this account has
  CHECK(codeOf(errorOf([&] { s.invitations.redeem(made.code, joiner("second"), s.origin); })) == "invalid_invitation");
  CHECK(kindOf([&] { s.invitations.confirm(t.staff, made.invitation.record.id); }) == ErrorKind::forbidden);
  s.invitations.confirm(t.manager, made.invitation.record.id);
  CHECK(s.children.isCarer(t.parentA.userId, t.c.id));
  CHECK(s.auditCount("NBX_INVITATION_CONFIRMED") == 1);
  CHECK(kindOf([&] { s.invitations.confirm(t.manager, made.invitation.record.id); }) == ErrorKind::conflict);
  // A claim can be refused (cancelled) instead.
  const auto other = s.invitations.create(t.manager, t.b.id);
  s.invitations.claim(t.parentC, other.code);
  s.invitations.cancel(t.manager, other.invitation.record.id);
  CHECK_FALSE(s.children.isCarer(t.parentC.userId, t.b.id));
  CHECK(kindOf([&] { s.invitations.claim(t.staff, other.code); }) == ErrorKind::forbidden);
}

TEST_CASE("the managers' home counts the work waiting", "[invitations][home]") {
  JournalSetting t;
  auto& s = t.s;
  auto home = s.home.summary(t.manager);
  CHECK(home.counts.childrenWithoutConsent == 3);  // no consent recorded for Ava, Ben, Cara
  CHECK(home.counts.childrenWithoutParent == 0);
  CHECK(home.counts.staffWithoutPin == 2);         // the manager and Kate
  CHECK(home.counts.contributionsWaiting == 0);
  const auto child = s.children.createChild(t.manager, {"Dev", "Dhar", "2022-05-05", t.nursery.id, "2025-09-01", std::nullopt, std::nullopt});
  home = s.home.summary(t.manager);
  CHECK(home.counts.childrenWithoutParent == 1);
  s.invitations.create(t.manager, child.id);
  home = s.home.summary(t.manager);
  CHECK(home.counts.childrenWithoutParent == 0);  // a letter is out
  CHECK(home.invitationsOpen == 1);
  // Not observed for 14 days, by key person: Kate is Ava's key person.
  t.observe({t.b.id});
  home = s.home.summary(t.manager);
  int notObserved = 0;
  for (const auto& n : home.counts.notObserved) notObserved += n.children;
  CHECK(notObserved == 3);  // Ava, Cara, Dev
  s.journal.contribute(t.parentA, {t.a.id, "At home", "", "2026-05-20", {}});
  CHECK(s.home.summary(t.manager).counts.contributionsWaiting == 1);
  CHECK(kindOf([&] { s.home.summary(t.staff); }) == ErrorKind::forbidden);
}

TEST_CASE("two tablets cannot share a name", "[invitations][devices]") {
  JournalSetting t;
  auto& s = t.s;
  const auto first = s.devices.create(t.manager, "Blue room iPad", std::nullopt);
  CHECK(errorOf([&] { s.devices.create(t.manager, "blue room ipad", std::nullopt); }).code == "name_taken");
  const auto second = s.devices.create(t.manager, "Green room iPad", std::nullopt);
  CHECK(errorOf([&] { s.devices.rename(t.manager, second.device.id, std::string("Blue room iPad"), std::nullopt); }).field == "name");
  CHECK_NOTHROW(s.devices.rename(t.manager, first.device.id, std::string("Blue room iPad"), std::nullopt));  // its own name
}
