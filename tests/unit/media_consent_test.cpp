// Consent at the pixel: the rule on its own, then through the family feed and entry reads,
// with consents changed after the media was recorded.
#include <catch2/catch.hpp>

#include <map>

#include "domain/media_consent.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using namespace nestbox::domain;
using storage::ConsentRecord;
using storage::MediaRecord;

namespace {

const std::string kHash(64, 'a');
const std::string kRedactedHash(64, 'b');

MediaRecord photo(std::vector<storage::MediaTagRecord> children, bool originalKept = true, bool redacted = false) {
  MediaRecord m;
  m.id = "m1";
  m.kind = "image";
  m.mime = "image/jpeg";
  m.state = "ready";
  if (originalKept) m.sha256 = kHash;
  if (redacted) {
    m.redactedSha256 = kRedactedHash;
    m.redaction = "cover";
  }
  m.children = std::move(children);
  return m;
}

ConsentRecord consent(bool ownPhotos, bool others, bool optedOut = false) {
  return ConsentRecord{"", ownPhotos, others, optedOut, "manager", 0, ""};
}

}  // namespace

TEST_CASE("which copy a family may see follows every child's consent") {
  const std::set<std::string> familyA{"A"};
  std::map<std::string, ConsentRecord> consents;
  const ConsentLookup lookup = [&](const std::string& id) { return consents.at(id); };

  struct Case {
    const char* what;
    ConsentRecord a, b;
    bool bObscured, originalKept, redacted;
    MediaCopy expected;
  };
  const std::vector<Case> cases = {
      {"both consent", consent(true, true), consent(true, true), false, true, false, MediaCopy::original},
      {"B may not appear in other journals", consent(true, true), consent(true, false), false, true, false, MediaCopy::none},
      {"B obscured but no redacted copy yet", consent(true, true), consent(true, false), true, true, false, MediaCopy::none},
      {"B obscured in the redacted copy", consent(true, true), consent(true, false), true, true, true, MediaCopy::redacted},
      {"redacted copy exists but B is not obscured in it", consent(true, true), consent(true, false), false, true, true, MediaCopy::none},
      {"B opted out of online journals", consent(true, true), consent(true, true, true), false, true, false, MediaCopy::none},
      {"B opted out, obscured", consent(true, true), consent(true, true, true), true, true, true, MediaCopy::redacted},
      {"A's own photo consent withdrawn", consent(false, true), consent(true, true), false, true, false, MediaCopy::none},
      {"B's own-journal consent is not needed for A's family", consent(true, false), consent(false, true), false, true, false, MediaCopy::original},
      {"original deleted after redaction, all may be shown", consent(true, true), consent(true, true), true, false, true, MediaCopy::redacted},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    consents = {{"A", c.a}, {"B", c.b}};
    const auto m = photo({{"A", false}, {"B", c.bObscured}}, c.originalKept, c.redacted);
    CHECK(copyForFamily(m, familyA, lookup) == c.expected);
  }
}

TEST_CASE("a family sees media only when one of their children is in it, or no child is") {
  std::map<std::string, ConsentRecord> consents{{"A", consent(true, true)}, {"B", consent(true, true)}};
  const ConsentLookup lookup = [&](const std::string& id) { return consents.at(id); };
  CHECK(copyForFamily(photo({{"B", false}}), {"A"}, lookup) == MediaCopy::none);
  CHECK(copyForFamily(photo({}), {"A"}, lookup) == MediaCopy::original);  // the garden, a newsletter
  CHECK(copyForFamily(photo({{"A", false}, {"B", false}}), {"A", "B"}, lookup) == MediaCopy::original);  // siblings
  auto failed = photo({{"A", false}});
  failed.state = "failed";
  CHECK(copyForFamily(failed, {"A"}, lookup) == MediaCopy::none);
  CHECK(copyForStaff(photo({{"A", false}}, false, true)) == MediaCopy::redacted);
  CHECK(copyForStaff(photo({{"A", false}}, true, true)) == MediaCopy::original);
}

namespace {

struct MediaSetting : testing::JournalSetting {
  // Attaches media rows to an entry, as the media upload path will: rows first, then the
  // entry names them with the children in each.
  std::vector<MediaRecord> attach(const std::string& entryId, std::vector<MediaRecord> items) {
    auto entry = *s.store.entry(entryId);
    for (auto& m : items) {
      m.uploadedBy = staff.userId;
      m.createdAt = s.clock.now();
      s.store.insertMedia(m);
    }
    entry.media = items;
    s.store.updateEntry(entry);
    return items;
  }
  MediaRecord item(const std::string& id, std::vector<storage::MediaTagRecord> children, bool redacted = false) {
    auto m = photo(std::move(children), true, redacted);
    m.id = id;
    return m;
  }
  std::vector<std::string> mediaIn(const Principal& p, const std::string& entryId) {
    std::vector<std::string> ids;
    for (const auto& m : s.journal.get(p, entryId).entry.media) ids.push_back(m.id);
    return ids;
  }
  void setConsent(const std::string& childId, bool ownPhotos, bool others) {
    s.children.recordConsent(manager, childId, {ownPhotos, others, false, ""});
  }
};

}  // namespace

TEST_CASE("the feed carries media metadata each family may see, decided from today's consent") {
  MediaSetting t;
  t.setConsent(t.a.id, true, true);
  t.setConsent(t.b.id, true, true);
  const auto group = t.observe({t.a.id, t.b.id});
  const std::string onlyA(32, '1'), both(32, '2'), onlyB(32, '3'), noChild(32, '4');
  t.attach(group.entry.id, {t.item(onlyA, {{t.a.id, false}}), t.item(both, {{t.a.id, false}, {t.b.id, false}}),
                            t.item(onlyB, {{t.b.id, false}}), t.item(noChild, {})});

  CHECK(t.mediaIn(t.staff, group.entry.id) == std::vector<std::string>{onlyA, both, onlyB, noChild});
  CHECK(t.mediaIn(t.parentA, group.entry.id) == std::vector<std::string>{onlyA, both, noChild});
  CHECK(t.mediaIn(t.parentB, group.entry.id) == std::vector<std::string>{both, onlyB, noChild});

  // In the feed: the same items, each naming only the family's own child; no file hashes.
  const auto feedA = t.s.journal.feed(t.parentA, {})->views;
  REQUIRE(feedA.size() == 1);
  REQUIRE(feedA[0].entry.media.size() == 3);
  for (const auto& m : feedA[0].entry.media) {
    for (const auto& tag : m.children) CHECK(tag.childId == t.a.id);
    CHECK_FALSE(m.sha256.has_value());
    CHECK_FALSE(m.redactedSha256.has_value());
  }

  // Ben's family withdraws consent to appearing in other journals: from now on Ava's family
  // no longer gets the photo of both, though it was recorded before.
  t.setConsent(t.b.id, true, false);
  CHECK(t.mediaIn(t.parentA, group.entry.id) == std::vector<std::string>{onlyA, noChild});
  REQUIRE(t.s.journal.feed(t.parentA, {})->views[0].entry.media.size() == 2);
  CHECK(t.mediaIn(t.parentB, group.entry.id) == std::vector<std::string>{both, onlyB, noChild});

  // Ava's own-journal consent withdrawn: no photo of Ava reaches anyone's family view.
  t.setConsent(t.a.id, false, true);
  CHECK(t.mediaIn(t.parentA, group.entry.id) == std::vector<std::string>{noChild});
  CHECK(t.mediaIn(t.parentB, group.entry.id) == std::vector<std::string>{both, onlyB, noChild});
}

TEST_CASE("a redacted copy that obscures the child without consent is what the other family gets") {
  MediaSetting t;
  t.setConsent(t.a.id, true, true);
  t.setConsent(t.b.id, true, false);
  const auto group = t.observe({t.a.id, t.b.id});
  const std::string both(32, '5');
  t.attach(group.entry.id, {t.item(both, {{t.a.id, false}, {t.b.id, true}}, /*redacted=*/true)});
  const auto m = *t.s.store.media(both);
  const std::set<std::string> familyA{t.a.id};
  const ConsentLookup lookup = [&](const std::string& id) { return *t.s.store.consent(id); };
  CHECK(copyForFamily(m, familyA, lookup) == MediaCopy::redacted);
  CHECK(t.mediaIn(t.parentA, group.entry.id) == std::vector<std::string>{both});
  // Parent C has no child in the entry: not even the entry is visible.
  CHECK(testing::kindOf([&] { t.s.journal.get(t.parentC, group.entry.id); }) == ErrorKind::notFound);
}

TEST_CASE("media stay attached through amendments and are part of each kept version") {
  MediaSetting t;
  t.setConsent(t.a.id, true, true);
  const auto entry = t.observe({t.a.id});
  const std::string one(32, '6');
  t.attach(entry.entry.id, {t.item(one, {{t.a.id, false}})});
  EntryChange change;
  change.title = "Building a taller tower";
  t.s.journal.amend(t.staff, entry.entry.id, change);
  CHECK(t.mediaIn(t.staff, entry.entry.id) == std::vector<std::string>{one});
  const auto versions = t.s.journal.versions(t.staff, entry.entry.id);
  REQUIRE_FALSE(versions.empty());
  CHECK(versions.front().snapshot.find(one) != std::string::npos);
}

TEST_CASE("a redacted copy made the old way (pixelated) goes to no family until staff mark it again") {
  std::map<std::string, ConsentRecord> consents{{"A", consent(true, true)}, {"B", consent(true, false)}};
  const ConsentLookup lookup = [&](const std::string& id) { return consents.at(id); };
  struct Case {
    const char* what;
    std::vector<storage::MediaTagRecord> children;
    bool originalKept;
    const char* redaction;
    MediaCopy expected;
  };
  const std::vector<Case> cases = {
      {"B obscured, covered", {{"A", false}, {"B", true}}, false, "cover", MediaCopy::redacted},
      {"B obscured, pixelated", {{"A", false}, {"B", true}}, false, "mosaic", MediaCopy::none},
      {"B obscured, pixelated, original kept for staff", {{"A", false}, {"B", true}}, true, "mosaic", MediaCopy::none},
      {"only A, whom the family may see, pixelated copy", {{"A", false}}, false, "mosaic", MediaCopy::none},
      {"only A, original kept: the original", {{"A", false}}, true, "mosaic", MediaCopy::original},
      {"no child in it, pixelated copy", {}, false, "mosaic", MediaCopy::none},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto m = photo(c.children, c.originalKept, true);
    m.redaction = c.redaction;
    CHECK(copyForFamily(m, {"A"}, lookup) == c.expected);
    // Staff still see it: they mark its areas again on it.
    CHECK(copyForStaff(m) == (c.originalKept ? MediaCopy::original : MediaCopy::redacted));
  }
}
