#pragma once
// A small setting for journal tests, built through the domain services as a manager would.

#include <string>
#include <vector>

#include "fixture.hpp"

namespace nestbox::testing {

// Two families in one live room and one scheduled room: child A (parent A), child B
// (parent B), child C in Reception (parent C), with staff Kate.
struct JournalSetting {
  Stack s;
  domain::Principal manager, staff, parentA, parentB, parentC;
  storage::RoomRecord nursery, reception;
  storage::ChildRecord a, b, c;

  // `databasePath`: a file instead of memory (tests that look at the file).
  explicit JournalSetting(const std::string& databasePath = ":memory:", const std::string& ledgerFile = "")
      : s(databasePath, ledgerFile) {
    manager = s.setUp();
    s.addUser(manager, "kate", domain::Role::staff, "green apple orchard");
    staff = s.signInOnTablet("kate", "green apple orchard").principal;
    nursery = s.children.createRoom(manager, "Nursery", "live");
    reception = s.children.createRoom(manager, "Reception", "scheduled");
    a = s.children.createChild(manager, {"Ava", "Ahmed", "2022-01-10", nursery.id, "2025-09-01", staff.userId, std::nullopt});
    b = s.children.createChild(manager, {"Ben", "Brown", "2022-02-11", nursery.id, "2025-09-01", std::nullopt, std::nullopt});
    c = s.children.createChild(manager, {"Cara", "Chen", "2021-03-12", reception.id, "2025-09-01", std::nullopt, std::nullopt});
    parentA = parent("parent.a", a.id);
    parentB = parent("parent.b", b.id);
    parentC = parent("parent.c", c.id);
  }

  domain::Principal parent(const std::string& username, const std::string& childId) {
    s.addUser(manager, username, domain::Role::parent, "blue whale singing");
    auto p = s.sessions.signIn(username, "blue whale singing", s.origin).principal;
    s.children.linkCarer(manager, childId, p.userId);
    s.children.acceptAgreement(p, s.children.agreement(p).version);
    return p;
  }

  domain::EntryView observe(std::vector<std::string> children, const std::string& status = "journal") {
    s.clock.advance(1);  // entries are written one after another
    return s.journal.create(staff, {"observation", status, std::nullopt, "Building a tower", "Stacked ten blocks.",
                                    "Count them together", "2026-05-20", std::move(children), {"eyfs.m.n"}, {}});
  }

  std::vector<std::string> feedIds(const domain::Principal& p) {
    std::vector<std::string> ids;
    for (const auto& v : s.journal.feed(p, {})->views) ids.push_back(v.entry.id);
    return ids;
  }
};

}  // namespace nestbox::testing
