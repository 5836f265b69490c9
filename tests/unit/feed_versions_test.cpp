// The feed under load (issue 14): reads on their own connections beside the writer,
// versions that move only after a commit, and invalidation per family rather than global.

#include <catch2/catch.hpp>
#include <chrono>
#include <future>

#include "journal_setting.hpp"
#include "storage/sqlite_store.hpp"

using namespace nestbox;
using namespace nestbox::testing;

TEST_CASE("a write about one child leaves every other family's cached feed in place", "[feed]") {
  JournalSetting t;
  t.observe({t.a.id});
  t.observe({t.b.id});
  const auto pageA = t.s.journal.feed(t.parentA, {});
  const auto pageB = t.s.journal.feed(t.parentB, {});
  CHECK(t.s.journal.feed(t.parentB, {}) == pageB);  // a cache hit is the same page
  const auto about = t.observe({t.a.id});           // about Ava only
  CHECK(t.s.journal.feed(t.parentB, {}) == pageB);  // Ben's family keeps its page
  const auto freshA = t.s.journal.feed(t.parentA, {});
  CHECK(freshA != pageA);
  CHECK(freshA->views.front().entry.id == about.entry.id);
  // Something setting-wide (a consent) renews every family's page.
  t.s.children.recordConsent(t.manager, t.c.id, {true, true, false, ""});
  CHECK(t.s.journal.feed(t.parentB, {}) != pageB);
}

TEST_CASE("feed versions move after the commit, and not for a rollback", "[feed]") {
  JournalSetting t;
  auto& store = t.s.store;
  const uint64_t before = store.feedVersion({t.a.id});
  const uint64_t otherBefore = store.feedVersion({t.b.id});
  store.transaction([&] {
    t.observe({t.a.id});
    // Inside the transaction the write is not committed: the version has not moved, so no
    // reader can cache uncommitted-era rows under a newer version.
    CHECK(store.feedVersion({t.a.id}) == before);
  });
  CHECK(store.feedVersion({t.a.id}) > before);
  CHECK(store.feedVersion({t.b.id}) == otherBefore);
  const uint64_t afterCommit = store.feedVersion({t.a.id});
  CHECK_THROWS(store.transaction([&] {
    t.observe({t.a.id});
    throw std::runtime_error("rolled back");
  }));
  CHECK(store.feedVersion({t.a.id}) == afterCommit);
}

TEST_CASE("reads run on their own connection while a transaction holds the writer", "[feed]") {
  const std::string dir = tempDir("readers");
  storage::SqliteStore store(dir + "/nestbox.db");
  store.insertRoom({"r1", "Nursery", "live", 1, 1});
  std::promise<void> written, release;
  auto releaseFuture = release.get_future();
  // (Catch2 asserts only on the test's own thread: the other threads return what they saw.)
  auto writer = std::async(std::launch::async, [&] {
    std::size_t seenInside = 0;
    store.transaction([&] {
      store.insertRoom({"r2", "Reception", "scheduled", 2, 2});
      seenInside = store.rooms().size();  // the writing thread sees its own write
      written.set_value();
      releaseFuture.wait();
    });
    return seenInside;
  });
  written.get_future().wait();
  // Another thread reads beside the open write transaction: the last commit, at once. On a
  // single connection it would wait for the writer, which waits for this read: a deadlock.
  auto reader = std::async(std::launch::async, [&] { return store.rooms().size(); });
  const bool answered = reader.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  release.set_value();
  REQUIRE(answered);
  CHECK(reader.get() == 1);
  CHECK(writer.get() == 2);
  CHECK(std::async(std::launch::async, [&] { return store.rooms().size(); }).get() == 2);
}
