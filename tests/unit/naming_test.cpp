// Naming a child in words (issue 32): the pure rule that warns when an entry's text names a
// child some receiving family may not see.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "domain/naming.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using namespace nestbox::domain;

TEST_CASE("a name counts as a word of its own, in any letter case") {
  struct Case {
    const char* text;
    const char* name;
    bool named;
  };
  const std::vector<Case> cases = {
      {"Ava and Zara built a den.", "Zara", true},
      {"ZARA laughed", "Zara", true},
      {"zara", "Zara", true},
      {"Zara's tower fell", "Zara", true},
      {"(with Zara)", "Zara", true},
      {"An avalanche of blocks", "Ava", false},
      {"Zarah counted", "Zara", false},
      {"Zoë and Ava", "Zoë", true},
      {"Zoëlle and Ava", "Zoë", false},
      {"", "Ava", false},
      {"Ava", "", false},
  };
  for (const auto& c : cases) {
    INFO(c.text << " / " << c.name);
    CHECK(namesWord(c.text, c.name) == c.named);
  }
}

TEST_CASE("an entry naming a child whom a receiving family may not see warns, naming who would") {
  const std::vector<ChildName> children{{"ava", "Ava"}, {"ben", "Ben"}, {"zara", "Zara"}, {"omar", "Omar"}};
  std::map<std::string, storage::ConsentRecord> consents;
  const auto consent = [](bool own, bool others, bool optedOut = false) {
    return storage::ConsentRecord{"", own, others, optedOut, "manager", 0, ""};
  };
  consents["ava"] = consent(true, true);
  consents["ben"] = consent(true, true);
  consents["zara"] = consent(true, false);       // not in other children's journals
  consents["omar"] = consent(true, true, true);  // opted out of online journals
  const ConsentLookup lookup = [&](const std::string& id) { return consents.at(id); };

  // Zara named in Ava and Ben's entry: both their families would read her name.
  auto named = namedHiddenChildren("Ava, Ben and Zara built a den.", {"ava", "ben"}, children, lookup);
  REQUIRE(named.size() == 1);
  CHECK(named[0].childId == "zara");
  CHECK(named[0].name == "Zara");
  CHECK(named[0].hiddenFrom == std::vector<std::string>{"ava", "ben"});
  // In her own entry with Ava: only Ava's family must not read it; her own may.
  named = namedHiddenChildren("Zara and Ava", {"zara", "ava"}, children, lookup);
  REQUIRE(named.size() == 1);
  CHECK(named[0].hiddenFrom == std::vector<std::string>{"ava"});
  // Alone in her own journal: nobody else receives it.
  CHECK(namedHiddenChildren("Zara painted", {"zara"}, children, lookup).empty());
  // Children with consent to other journals may be named.
  CHECK(namedHiddenChildren("Ava and Ben", {"ava", "ben"}, children, lookup).empty());
  // Opted out of online journals: shown to no one else.
  named = namedHiddenChildren("Omar helped", {"ava"}, children, lookup);
  REQUIRE(named.size() == 1);
  CHECK(named[0].childId == "omar");
}

TEST_CASE("the journal warns staff, never families, when an entry's words name a child hidden from a receiving family") {
  testing::JournalSetting t;
  t.s.children.recordConsent(t.manager, t.a.id, {true, true, false, ""});
  t.s.children.recordConsent(t.manager, t.b.id, {true, true, false, ""});
  t.s.children.recordConsent(t.manager, t.c.id, {true, false, false, ""});  // Cara: not in other journals
  t.s.clock.advance(1);
  // Saved all the same: a warning never blocks.
  const auto saved = t.s.journal.create(t.staff, {"observation", "journal", std::nullopt, "Den with Cara",
                                             "Ava and Cara's den had a door.", "", "2026-05-20", {t.a.id, t.b.id}, {}, {}});
  REQUIRE(saved.namingWarnings.size() == 1);
  const auto& w = saved.namingWarnings[0];
  CHECK(w.childId == t.c.id);
  CHECK(w.name == "Cara");
  CHECK(std::set<std::string>(w.hiddenFrom.begin(), w.hiddenFrom.end()) == std::set<std::string>{t.a.id, t.b.id});
  INFO(w.message);
  CHECK(w.message.rfind("The words name Cara, whom the families of ", 0) == 0);
  CHECK(w.message.find("Ava") != std::string::npos);
  CHECK(w.message.find("Ben") != std::string::npos);
  CHECK(w.message.find("may not see. Write") != std::string::npos);
  // Staff reading it again see the same; a family's view carries nothing of it.
  CHECK(t.s.journal.get(t.staff, saved.entry.id).namingWarnings.size() == 1);
  CHECK(t.s.journal.get(t.parentA, saved.entry.id).namingWarnings.empty());
  // Written as "a friend": no warning.
  domain::EntryChange change;
  change.title = "Den with a friend";
  change.body = "Ava and a friend's den had a door.";
  CHECK(t.s.journal.amend(t.staff, saved.entry.id, change).namingWarnings.empty());
}
