// Around an entry (issue 22): hearts (the family's own threads only; staff see which family),
// visits (one visit within half an hour), recently tagged children, templates (managers
// keep them; links outside the setting's curriculum are left out), the feed cards' counts
// and a month of the feed in the setting's time zone, and drafts saved in place.
#include <catch2/catch.hpp>

#include "journal_setting.hpp"

using namespace nestbox;
using domain::ErrorKind;
using testing::kindOf;

namespace {

const domain::EntryView* cardOf(const domain::FeedPage& page, const std::string& id) {
  for (const auto& v : page.views) {
    if (v.entry.id == id) return &v;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("hearts: a family's own thread only; staff see which family, other families nothing") {
  testing::JournalSetting t;
  const auto both = t.observe({t.a.id, t.b.id});
  const auto draft = t.observe({t.a.id}, "draft");
  auto& hearts = t.s.engagement;

  hearts.heart(t.parentA, both.entry.id, t.a.id, true);
  hearts.heart(t.parentA, both.entry.id, t.a.id, true);  // idempotent
  CHECK(kindOf([&] { hearts.heart(t.parentA, both.entry.id, t.b.id, true); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { hearts.heart(t.parentC, both.entry.id, t.a.id, true); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { hearts.heart(t.parentA, draft.entry.id, t.a.id, true); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { hearts.heart(t.parentA, "no-such-entry", t.a.id, true); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { hearts.heart(t.staff, both.entry.id, t.a.id, true); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { hearts.hearts(t.parentA, both.entry.id); }) == ErrorKind::forbidden);

  const auto seen = hearts.hearts(t.staff, both.entry.id);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].childId == t.a.id);
  CHECK(seen[0].childName == "Ava");
  CHECK_FALSE(seen[0].parentName.empty());

  // The cards: parent A's heart on A's card; parent B's card of the same entry has none.
  const auto pageA = t.s.journal.feed(t.parentA, {});
  const auto pageB = t.s.journal.feed(t.parentB, {});
  REQUIRE(cardOf(*pageA, both.entry.id));
  CHECK(cardOf(*pageA, both.entry.id)->heartedChildIds == std::vector<std::string>{t.a.id});
  CHECK(cardOf(*pageB, both.entry.id)->heartedChildIds.empty());

  // Un-hearting moves the cached card on.
  hearts.heart(t.parentA, both.entry.id, t.a.id, false);
  CHECK(cardOf(*t.s.journal.feed(t.parentA, {}), both.entry.id)->heartedChildIds.empty());
  CHECK(hearts.hearts(t.staff, both.entry.id).empty());
}

TEST_CASE("feed cards count the family's own visible comments, fresh after each one") {
  testing::JournalSetting t;
  const auto both = t.observe({t.a.id, t.b.id});
  CHECK(cardOf(*t.s.journal.feed(t.parentA, {}), both.entry.id)->commentCount == 0);
  const auto mine = t.s.journal.addComment(t.parentA, both.entry.id, t.a.id, "Lovely");
  t.s.journal.addComment(t.staff, both.entry.id, t.a.id, "Thank you");
  t.s.journal.addComment(t.parentB, both.entry.id, t.b.id, "Ben loved it");
  CHECK(cardOf(*t.s.journal.feed(t.parentA, {}), both.entry.id)->commentCount == 2);
  CHECK(cardOf(*t.s.journal.feed(t.parentB, {}), both.entry.id)->commentCount == 1);
  t.s.journal.hideComment(t.staff, mine.id, "Posted twice");
  CHECK(cardOf(*t.s.journal.feed(t.parentA, {}), both.entry.id)->commentCount == 1);
}

TEST_CASE("visits: the previous one, and a visit within half an hour is the same visit") {
  testing::JournalSetting t;
  auto& e = t.s.engagement;
  CHECK_FALSE(e.visit(t.parentA));
  const int64_t first = t.s.clock.now();
  t.s.clock.advance(20 * 60);
  CHECK_FALSE(e.visit(t.parentA));  // the same visit: nothing before it
  t.s.clock.advance(31 * 60);
  CHECK(e.visit(t.parentA) == first + 20 * 60);  // the last moment of the earlier visit
  const int64_t second = t.s.clock.now();
  t.s.clock.advance(5 * 60);
  CHECK(e.visit(t.parentA) == first + 20 * 60);  // still the same visit: markers stay
  t.s.clock.advance(3 * 3600);
  CHECK(e.visit(t.parentA) == second + 5 * 60);
  CHECK(kindOf([&] { e.visit(t.staff); }) == ErrorKind::forbidden);
}

TEST_CASE("recently tagged: each member of staff's own, newest first, for thirty days") {
  testing::JournalSetting t;
  t.observe({t.b.id});
  t.observe({t.a.id, t.c.id});
  const auto recent = t.s.engagement.recentChildren(t.staff);
  REQUIRE(recent.size() == 3);
  CHECK(recent.back() == t.b.id);
  CHECK(t.s.engagement.recentChildren(t.manager).empty());
  t.s.clock.advance(31 * 86400);
  CHECK(t.s.engagement.recentChildren(t.staff).empty());
  CHECK(kindOf([&] { t.s.engagement.recentChildren(t.parentA); }) == ErrorKind::forbidden);
}

TEST_CASE("templates: managers keep them, staff read them, other curricula's links left out") {
  testing::JournalSetting t;
  auto& tpl = t.s.templates;
  REQUIRE(tpl.list(t.staff).size() == 2);
  CHECK(kindOf([&] { tpl.list(t.parentA); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { tpl.create(t.staff, {std::string("Mine"), {}, {}, {}, {}, {}}); }) == ErrorKind::forbidden);

  domain::TemplateInput in;
  in.name = "Counting";
  in.aspectIds = std::vector<std::string>{"eyfs.m.n", "eyfs.m.n"};
  const auto made = tpl.create(t.manager, in);
  CHECK(made.aspectIds == std::vector<std::string>{"eyfs.m.n"});
  CHECK(testing::errorOf([&] { tpl.create(t.manager, in); }).code == "name_taken");
  domain::TemplateInput snack;
  snack.name = "Snack";
  snack.kind = "snapshot";
  snack.aspectIds = std::vector<std::string>{"eyfs.m.n"};
  CHECK(testing::errorOf([&] { tpl.create(t.manager, snack); }).field == "aspect_ids");
  CHECK(t.s.auditCount("NBX_TEMPLATE_SAVED") == 1);

  // The setting moves to Curriculum for Excellence: EYFS links drop out of what staff get.
  domain::SettingsChange cfe;
  cfe.framework = "cfe";
  t.s.settings.update(t.manager, cfe);
  for (const auto& r : tpl.list(t.staff)) CHECK(r.aspectIds.empty());

  tpl.remove(t.manager, made.id);
  CHECK(kindOf([&] { tpl.remove(t.manager, made.id); }) == ErrorKind::notFound);
  CHECK(t.s.auditCount("NBX_TEMPLATE_DELETED") == 1);
}

TEST_CASE("a draft may be incomplete and is saved in place; leaving draft checks it all") {
  testing::JournalSetting t;
  auto draft = t.s.journal.create(t.staff, {"observation", "draft", std::nullopt, "", "", "", "2026-05-20", {}, {}, {}});
  domain::EntryChange words;
  words.body = "Ava counted to ten.";
  words.childIds = std::vector<std::string>{t.a.id};
  t.s.journal.amend(t.staff, draft.entry.id, words);
  t.s.journal.amend(t.staff, draft.entry.id, words);
  CHECK(t.s.journal.versions(t.staff, draft.entry.id).empty());
  CHECK(t.s.auditCount("NBX_ENTRY_AMENDED") == 0);

  domain::EntryChange publish;
  publish.status = "journal";
  CHECK(testing::errorOf([&] { t.s.journal.amend(t.staff, draft.entry.id, publish); }).field == "title");
  publish.title = "Counting to ten";
  CHECK(t.s.journal.amend(t.staff, draft.entry.id, publish).entry.status == "journal");
  CHECK(t.s.auditCount("NBX_ENTRY_AMENDED") == 1);
  CHECK(t.s.journal.versions(t.staff, draft.entry.id).empty());  // what no family saw has no history
  // Once in the journal, every amendment keeps the version before it, even back to draft.
  domain::EntryChange back;
  back.status = "draft";
  t.s.journal.amend(t.staff, draft.entry.id, back);
  t.s.journal.amend(t.staff, draft.entry.id, words);
  CHECK(t.s.journal.versions(t.staff, draft.entry.id).size() == 2);
  CHECK(t.s.auditCount("NBX_ENTRY_AMENDED") == 3);
}

TEST_CASE("discarding a draft: only one never in the journal, by its author or a manager") {
  testing::JournalSetting t;
  const auto draft = t.observe({t.a.id}, "draft");
  const auto published = t.observe({t.a.id});
  CHECK(kindOf([&] { t.s.journal.discardDraft(t.parentA, draft.entry.id); }) == ErrorKind::forbidden);
  CHECK(testing::errorOf([&] { t.s.journal.discardDraft(t.staff, published.entry.id); }).code == "not_a_draft");
  domain::EntryChange back;
  back.status = "draft";
  t.s.journal.amend(t.staff, published.entry.id, back);
  CHECK(testing::errorOf([&] { t.s.journal.discardDraft(t.manager, published.entry.id); }).code == "not_a_draft");

  t.s.journal.discardDraft(t.staff, draft.entry.id);
  CHECK_FALSE(t.s.store.entry(draft.entry.id));
  CHECK(t.s.auditCount("NBX_ENTRY_DISCARDED") == 1);
  CHECK(kindOf([&] { t.s.journal.discardDraft(t.staff, draft.entry.id); }) == ErrorKind::notFound);
  const auto colleagues = t.observe({t.b.id}, "draft");
  t.s.journal.discardDraft(t.manager, colleagues.entry.id);
  CHECK_FALSE(t.s.store.entry(colleagues.entry.id));
}
