#include <catch2/catch.hpp>

#include "domain/errors.hpp"
#include "fixture.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using namespace nestbox::domain;
using testing::kindOf;
using Setting = testing::JournalSetting;


TEST_CASE("a parent sees only their own child's released entries, and only their own child in them") {
  Setting t;
  const auto group = t.observe({t.a.id, t.b.id});
  const auto onlyB = t.observe({t.b.id});
  const auto draft = t.observe({t.a.id}, "draft");
  const auto staffOnly = t.observe({t.a.id}, "staff_only");

  const auto feedA = t.s.journal.feed(t.parentA, {})->views;
  REQUIRE(feedA.size() == 1);
  CHECK(feedA[0].entry.id == group.entry.id);
  CHECK(feedA[0].entry.childIds == std::vector<std::string>{t.a.id});  // Ben is never named or tagged
  CHECK(t.feedIds(t.parentB) == std::vector<std::string>{onlyB.entry.id, group.entry.id});

  CHECK(kindOf([&] { t.s.journal.get(t.parentA, onlyB.entry.id); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.journal.get(t.parentA, draft.entry.id); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.journal.get(t.parentA, staffOnly.entry.id); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.journal.get(t.parentA, "0123456789abcdef0123456789abcdef"); }) == ErrorKind::notFound);
  CHECK(t.s.journal.get(t.parentA, group.entry.id).entry.childIds == std::vector<std::string>{t.a.id});
  // Staff see the whole entry.
  CHECK(t.s.journal.get(t.staff, group.entry.id).entry.childIds.size() == 2);

  CHECK(kindOf([&] { t.s.children.child(t.parentA, t.b.id); }) == ErrorKind::notFound);
  CHECK(t.s.children.children(t.parentA, {}).size() == 1);
  storage::ParentFeedQuery forB;
  forB.childId = t.b.id;
  CHECK(kindOf([&] { t.s.journal.feed(t.parentA, forB); }) == ErrorKind::notFound);
}

TEST_CASE("room posts reach the families of that room only") {
  Setting t;
  const auto post = t.s.journal.create(t.staff, {"room_post", "journal", t.nursery.id, "Feedback Friday", "We baked.",
                                                 "", "2026-05-22", {}, {}, {}});
  CHECK(t.feedIds(t.parentA) == std::vector<std::string>{post.entry.id});
  CHECK(t.feedIds(t.parentB) == std::vector<std::string>{post.entry.id});
  CHECK(t.feedIds(t.parentC).empty());
  CHECK(kindOf([&] { t.s.journal.get(t.parentC, post.entry.id); }) == ErrorKind::notFound);
}

TEST_CASE("scheduled rooms release on their dates, a manager can release early") {
  Setting t;
  const auto entry = t.observe({t.c.id});
  const int64_t now = t.s.clock.now();
  CHECK(t.feedIds(t.parentC).empty());  // Reception is released at half term, not live

  t.s.children.scheduleRelease(t.manager, t.reception.id, now + 7 * 86400);
  t.s.clock.advance(7 * 86400 - 1);
  CHECK(t.feedIds(t.parentC).empty());
  t.s.clock.advance(1);
  CHECK(t.feedIds(t.parentC) == std::vector<std::string>{entry.entry.id});

  // Written after the release date: waits for the next one, unless released early.
  t.s.clock.advance(60);
  const auto later = t.observe({t.c.id});
  CHECK(t.feedIds(t.parentC) == std::vector<std::string>{entry.entry.id});
  CHECK(kindOf([&] { t.s.children.releaseNow(t.staff, t.reception.id); }) == ErrorKind::forbidden);
  t.s.clock.advance(1);
  t.s.children.releaseNow(t.manager, t.reception.id);
  CHECK(t.feedIds(t.parentC) == std::vector<std::string>{later.entry.id, entry.entry.id});
  CHECK(t.s.auditCount("NBX_ROOM_RELEASED_EARLY") == 1);
  // A release that has happened cannot be taken back.
  CHECK(kindOf([&] { t.s.children.unscheduleRelease(t.manager, t.reception.id, now + 7 * 86400); }) == ErrorKind::conflict);
}

TEST_CASE("an opted-out child's family sees nothing, the agreement comes first") {
  Setting t;
  t.observe({t.a.id});
  CHECK(t.feedIds(t.parentA).size() == 1);
  t.s.children.recordConsent(t.manager, t.a.id, {false, false, true, "Family prefers paper"});
  CHECK(t.feedIds(t.parentA).empty());
  CHECK(t.s.children.consentHistory(t.manager, t.a.id).size() == 1);
  CHECK(t.s.children.consent(t.staff, t.a.id).onlineJournalOptOut);
  CHECK(kindOf([&] { t.s.children.recordConsent(t.staff, t.a.id, {true, true, false, ""}); }) == ErrorKind::forbidden);
  // A family reads what was recorded for their own child (before their journal opens); another's is "not found".
  CHECK(t.s.children.consent(t.parentA, t.a.id).onlineJournalOptOut);
  CHECK(kindOf([&] { t.s.children.consent(t.parentB, t.a.id); }) == ErrorKind::notFound);

  // A new agreement version must be accepted again before anything is shown.
  t.s.children.changeAgreement(t.manager, "A new agreement about photos and sharing, version two.");
  CHECK(kindOf([&] { t.s.journal.feed(t.parentB, {}); }) == ErrorKind::forbidden);
  CHECK(kindOf([&] { t.s.children.acceptAgreement(t.parentB, 1); }) == ErrorKind::conflict);
  t.s.children.acceptAgreement(t.parentB, 2);
  CHECK_NOTHROW(t.s.journal.feed(t.parentB, {}));
}

TEST_CASE("comment threads are private to each child's family") {
  Setting t;
  const auto group = t.observe({t.a.id, t.b.id});
  const auto& id = group.entry.id;
  t.s.journal.addComment(t.parentA, id, t.a.id, "Ava loved this!");
  t.s.journal.addComment(t.parentB, id, t.b.id, "Ben talks about it every day.");
  t.s.journal.addComment(t.staff, id, t.a.id, "She counted to ten.");

  CHECK(t.s.journal.thread(t.parentA, id, t.a.id).size() == 2);
  CHECK(t.s.journal.thread(t.parentB, id, t.b.id).size() == 1);
  CHECK(kindOf([&] { t.s.journal.thread(t.parentA, id, t.b.id); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.journal.addComment(t.parentA, id, t.b.id, "Hello Ben's family"); }) == ErrorKind::notFound);
  CHECK(kindOf([&] { t.s.journal.thread(t.parentC, id, t.c.id); }) == ErrorKind::notFound);
  CHECK(t.s.journal.thread(t.staff, id, t.b.id).size() == 1);

  const auto comment = t.s.journal.thread(t.parentB, id, t.b.id)[0];
  CHECK(kindOf([&] { t.s.journal.hideComment(t.parentA, comment.id, "no"); }) == ErrorKind::forbidden);
  t.s.journal.hideComment(t.staff, comment.id, "Please talk to us in person about this.");
  CHECK(t.s.journal.thread(t.parentB, id, t.b.id).empty());
  const auto staffView = t.s.journal.thread(t.staff, id, t.b.id);
  REQUIRE(staffView.size() == 1);
  CHECK(staffView[0].hiddenReason == "Please talk to us in person about this.");
}

TEST_CASE("home observations wait for staff approval, or come back with a reason") {
  Setting t;
  const auto mine = t.s.journal.contribute(t.parentA, {t.a.id, "Planting seeds", "Ava watered them.", "2026-05-21", {}});
  CHECK(mine.entry.status == "pending");
  CHECK(kindOf([&] { t.s.journal.contribute(t.parentA, {t.b.id, "Not mine", "", "2026-05-21", {}}); }) == ErrorKind::invalid);
  CHECK(t.feedIds(t.parentA).empty());
  CHECK(t.s.journal.get(t.parentA, mine.entry.id).entry.status == "pending");  // the author sees it
  CHECK(kindOf([&] { t.s.journal.get(t.parentB, mine.entry.id); }) == ErrorKind::notFound);
  CHECK(t.s.journal.contributions(t.staff, std::string("pending")).size() == 1);
  CHECK(t.s.journal.contributions(t.parentB, std::nullopt).empty());
  CHECK(kindOf([&] { t.s.journal.approveContribution(t.parentA, mine.entry.id); }) == ErrorKind::forbidden);

  t.s.journal.approveContribution(t.staff, mine.entry.id);
  CHECK(t.feedIds(t.parentA) == std::vector<std::string>{mine.entry.id});
  CHECK(kindOf([&] { t.s.journal.approveContribution(t.staff, mine.entry.id); }) == ErrorKind::conflict);

  const auto other = t.s.journal.contribute(t.parentA, {t.a.id, "A photo of a friend", "", "2026-05-21", {}});
  CHECK(kindOf([&] { t.s.journal.returnContribution(t.staff, other.entry.id, ""); }) == ErrorKind::invalid);
  t.s.journal.returnContribution(t.staff, other.entry.id, "Please leave out other children's names.");
  const auto returned = t.s.journal.get(t.parentA, other.entry.id).entry;
  CHECK(returned.status == "returned");
  CHECK(returned.returnedReason == "Please leave out other children's names.");
  CHECK(t.s.auditCount("NBX_CONTRIBUTION_RETURNED") == 1);
}

TEST_CASE("every amendment keeps the previous version, managers review or return") {
  Setting t;
  auto entry = t.observe({t.a.id});
  EntryChange change;
  change.body = "Stacked twelve blocks.";
  change.childIds = std::vector<std::string>{t.a.id, t.b.id};
  t.s.journal.amend(t.staff, entry.entry.id, change);
  const auto versions = t.s.journal.versions(t.staff, entry.entry.id);
  REQUIRE(versions.size() == 1);
  CHECK(versions[0].version == 1);
  CHECK(versions[0].snapshot.find("Stacked ten blocks.") != std::string::npos);
  CHECK(t.s.journal.get(t.staff, entry.entry.id).entry.version == 2);
  CHECK(t.s.auditCount("NBX_ENTRY_AMENDED") == 1);
  CHECK(kindOf([&] { t.s.journal.amend(t.parentA, entry.entry.id, change); }) == ErrorKind::forbidden);

  storage::EntryQuery queue;
  queue.awaitingReview = true;
  CHECK(t.s.journal.list(t.manager, queue).size() == 1);
  CHECK(kindOf([&] { t.s.journal.review(t.staff, entry.entry.id, false, ""); }) == ErrorKind::forbidden);
  t.s.journal.review(t.manager, entry.entry.id, true, "Add the next step, please.");
  CHECK(t.s.journal.get(t.staff, entry.entry.id).entry.status == "staff_only");
  CHECK(t.feedIds(t.parentA).empty());
  CHECK(t.s.journal.list(t.manager, queue).empty());
  // The review note never reaches a parent.
  EntryChange back;
  back.status = "journal";
  t.s.journal.amend(t.staff, entry.entry.id, back);
  CHECK(t.s.journal.get(t.parentA, entry.entry.id).entry.reviewNote.empty());
}

TEST_CASE("entries are checked: children, curriculum links, snapshots without curriculum") {
  Setting t;
  auto make = [&](EntryInput in) { return [&t, in] { t.s.journal.create(t.staff, in); }; };
  CHECK(kindOf(make({"observation", "journal", std::nullopt, "T", "", "", "2026-05-20", {}, {}, {}})) == ErrorKind::invalid);
  CHECK(kindOf(make({"observation", "journal", std::nullopt, "T", "", "", "2026-05-20", {"nope"}, {}, {}})) == ErrorKind::invalid);
  CHECK(kindOf(make({"observation", "journal", std::nullopt, "T", "", "", "2026-05-20", {t.a.id}, {"cfe.lit.r"}, {}})) ==
        ErrorKind::invalid);  // the setting uses EYFS
  CHECK(kindOf(make({"snapshot", "journal", std::nullopt, "T", "", "", "2026-05-20", {t.a.id}, {"eyfs.m.n"}, {}})) ==
        ErrorKind::invalid);
  CHECK(kindOf(make({"room_post", "journal", std::nullopt, "T", "", "", "2026-05-20", {}, {}, {}})) == ErrorKind::invalid);
  CHECK(kindOf(make({"observation", "journal", std::nullopt, "T", "", "", "2099-01-01", {t.a.id}, {}, {}})) == ErrorKind::invalid);
  CHECK(kindOf(make({"home", "journal", std::nullopt, "T", "", "", "2026-05-20", {t.a.id}, {}, {}})) == ErrorKind::invalid);
  CHECK(kindOf(make({"observation", "published", std::nullopt, "T", "", "", "2026-05-20", {t.a.id}, {}, {}})) == ErrorKind::invalid);
  CHECK_NOTHROW(t.s.journal.create(t.staff, {"snapshot", "journal", std::nullopt, "Today", "Sand play", "", "2026-05-20", {t.a.id}, {}, {}}));
  CHECK(kindOf([&] { t.s.journal.create(t.parentA, {"observation", "journal", std::nullopt, "T", "", "", "2026-05-20", {t.a.id}, {}, {}}); }) ==
        ErrorKind::forbidden);
}

TEST_CASE("children: managers create and attach, dates and key people are checked") {
  Setting t;
  CHECK(kindOf([&] { t.s.children.createChild(t.staff, {"X", "Y", "2022-01-01", t.nursery.id, "2025-09-01", std::nullopt, std::nullopt}); }) ==
        ErrorKind::forbidden);
  CHECK(kindOf([&] { t.s.children.createChild(t.manager, {"X", "Y", "2022-02-30", t.nursery.id, "2025-09-01", std::nullopt, std::nullopt}); }) ==
        ErrorKind::invalid);
  CHECK(kindOf([&] { t.s.children.createChild(t.manager, {"X", "Y", "2022-01-01", t.nursery.id, "2025-09-01", t.parentA.userId, std::nullopt}); }) ==
        ErrorKind::invalid);  // a parent cannot be a key person
  CHECK(kindOf([&] { t.s.children.linkCarer(t.manager, t.a.id, t.staff.userId); }) == ErrorKind::invalid);
  CHECK(kindOf([&] { t.s.children.createRoom(t.manager, "nursery", "live"); }) == ErrorKind::conflict);
  storage::ChildQuery mine;
  mine.keyPersonId = t.staff.userId;
  CHECK(t.s.children.children(t.staff, mine).size() == 1);
  t.s.children.unlinkCarer(t.manager, t.a.id, t.parentA.userId);
  CHECK(t.s.children.children(t.parentA, {}).empty());
  CHECK(t.s.auditCount("NBX_CARER_UNLINKED") == 1);
}

TEST_CASE("the family feed never serves a stale page after a change") {
  Setting t;
  const auto entry = t.observe({t.a.id});
  REQUIRE(t.s.journal.feed(t.parentA, {})->views.at(0).entry.title == "Building a tower");
  REQUIRE(t.s.journal.feed(t.parentA, {})->views.at(0).entry.title == "Building a tower");  // served from the cache
  EntryChange rename;
  rename.title = "Building a taller tower";
  t.s.journal.amend(t.staff, entry.entry.id, rename);
  CHECK(t.s.journal.feed(t.parentA, {})->views.at(0).entry.title == "Building a taller tower");
  EntryChange hide;
  hide.status = "staff_only";
  t.s.journal.amend(t.staff, entry.entry.id, hide);
  CHECK(t.feedIds(t.parentA).empty());
  hide.status = "journal";
  t.s.journal.amend(t.staff, entry.entry.id, hide);
  CHECK(t.feedIds(t.parentA).size() == 1);
  t.s.children.unlinkCarer(t.manager, t.a.id, t.parentA.userId);
  CHECK(t.feedIds(t.parentA).empty());
}
