// The one access policy (issue 13): visibility SQL lives only there, routes declare their
// audience, the room a child was in decides what their family sees of the past, recording
// needs a registered tablet, no existence oracles, and the editor's "who will see this".

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/errors.hpp"
#include "journal_setting.hpp"

using namespace nestbox;
using namespace nestbox::testing;
using domain::ErrorKind;

namespace {

std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Fragments that only a visibility rule writes: the release rule, the opt-out rule, the
// audience join, "in the journal and someone receives it", a family's carer filter.
const std::vector<std::string> kVisibilityMarkers = {
    "release_mode = 'live'", "online_journal_opt_out, 0)", "entry_audience ea", "status = 'journal' AND EXISTS",
    "cc.parent_id = :"};

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }


domain::EntryView roomPost(JournalSetting& j, const std::string& roomId, const std::string& title) {
  j.s.clock.advance(1);
  return j.s.journal.create(j.staff, {"room_post", "journal", roomId, title, "The whole room.", "", "2026-05-20", {}, {}, {}});
}

}  // namespace

TEST_CASE("visibility SQL is written only in the access policy", "[access]") {
  const std::filesystem::path lib = std::filesystem::path(NESTBOX_SOURCE_DIR) / "daemon" / "lib";
  const std::string policy = readText(lib / "domain" / "access_policy.cpp");
  // The markers are live: the policy itself writes each of them.
  for (const auto& marker : kVisibilityMarkers) {
    INFO(marker);
    CHECK(policy.find(marker) != std::string::npos);
  }
  std::vector<std::string> elsewhere;
  for (const auto& file : std::filesystem::recursive_directory_iterator(lib)) {
    const auto ext = file.path().extension();
    if (ext != ".cpp" && ext != ".hpp" && ext != ".in") continue;
    if (file.path().filename() == "access_policy.cpp") continue;
    const std::string text = readText(file.path());
    for (const auto& marker : kVisibilityMarkers) {
      if (text.find(marker) != std::string::npos) elsewhere.push_back(file.path().string() + ": " + marker);
    }
  }
  CHECK(elsewhere == std::vector<std::string>{});
}

TEST_CASE("every route declares its audience, and the daemon refuses one that does not", "[access]") {
  Stack s;
  const auto described = http::Api::describeRoutes();
  REQUIRE(s.api.routes().size() == described.size());
  REQUIRE(described.size() > 70);
  for (const auto& r : described) {
    INFO(r.method << " " << r.pattern);
    CHECK(r.rules.audience != http::Api::Audience::unset);
    if (r.rules.audience == http::Api::Audience::open) CHECK_FALSE((r.rules.childView || r.rules.passwordChange));
  }
  CHECK_THROWS_AS(http::Api::checkRules("GET /x", {}), std::logic_error);
  CHECK_THROWS_AS(http::Api::checkRules("GET /x", {.audience = http::Api::Audience::open, .childView = true}),
                  std::logic_error);
  CHECK_NOTHROW(http::Api::checkRules("GET /x", {.audience = http::Api::Audience::staff}));
  // Child view and lockdown are flags on the route, not lists of strings: exactly these.
  std::vector<std::string> childView, lockdownOpen;
  for (const auto& r : described) {
    if (r.rules.childView) childView.push_back(r.method + " " + r.pattern);
    if (r.rules.lockdownOpen) lockdownOpen.push_back(r.method + " " + r.pattern);
  }
  std::sort(childView.begin(), childView.end());
  std::sort(lockdownOpen.begin(), lockdownOpen.end());
  CHECK(childView == std::vector<std::string>{"GET /api/v1/auth/session", "GET /api/v1/child-view",
                                              "GET /api/v1/media/:id/:variant", "POST /api/v1/auth/sign-out",
                                              "POST /api/v1/child-view/leave"});
  CHECK(lockdownOpen == std::vector<std::string>{"GET /api/v1/box", "GET /api/v1/ca.crt", "GET /api/v1/ca.sha256",
                                                 "GET /api/v1/lockdown",
                                                 // A restore's answer: the data restored may have been backed up in a lockdown.
                                                 "GET /api/v1/setup/restore/requests/:id", "POST /api/v1/lockdown/lift",
                                                 "POST /api/v1/lockdown/updates"});
}

TEST_CASE("a family's past does not change when their child moves room", "[access]") {
  JournalSetting j;
  const auto before = j.observe({j.a.id});  // Nursery: live, so released at once
  REQUIRE(contains(j.feedIds(j.parentA), before.entry.id));
  domain::ChildChange move;
  move.roomId = j.reception.id;  // Reception releases only on its dates; none has passed
  j.s.children.updateChild(j.manager, j.a.id, move);
  // What was released stays released; the entry kept the room Ava was in when it was made.
  CHECK(contains(j.feedIds(j.parentA), before.entry.id));
  CHECK(j.s.journal.get(j.parentA, before.entry.id).entry.id == before.entry.id);
  // A new entry follows Reception's schedule.
  const auto after = j.observe({j.a.id});
  CHECK_FALSE(contains(j.feedIds(j.parentA), after.entry.id));
  CHECK(errorOf([&] { j.s.journal.get(j.parentA, after.entry.id); }).kind == ErrorKind::notFound);
  j.s.children.releaseNow(j.manager, j.reception.id);
  j.s.clock.advance(1);
  CHECK(contains(j.feedIds(j.parentA), after.entry.id));
}

TEST_CASE("a family joining a room later does not inherit the room's posts", "[access]") {
  JournalSetting j;
  const auto old = roomPost(j, j.nursery.id, "Feedback Friday: the pond");
  CHECK(contains(j.feedIds(j.parentA), old.entry.id));
  // Staff see every recipient; a family only their own (each has a thread).
  CHECK(old.entry.audience.size() == 2);
  const auto seen = j.s.journal.get(j.parentA, old.entry.id).entry.audience;
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].childId == j.a.id);
  CHECK_FALSE(contains(j.feedIds(j.parentC), old.entry.id));
  domain::ChildChange move;
  move.roomId = j.nursery.id;
  j.s.children.updateChild(j.manager, j.c.id, move);
  CHECK_FALSE(contains(j.feedIds(j.parentC), old.entry.id));
  CHECK(errorOf([&] { j.s.journal.thread(j.parentC, old.entry.id, j.c.id); }).kind == ErrorKind::notFound);
  const auto fresh = roomPost(j, j.nursery.id, "Feedback Friday: the garden");
  CHECK(contains(j.feedIds(j.parentC), fresh.entry.id));
  CHECK(contains(j.feedIds(j.parentA), fresh.entry.id));
  // A child who left the room keeps the posts of their time there.
  move.roomId = j.reception.id;
  j.s.children.updateChild(j.manager, j.a.id, move);
  CHECK(contains(j.feedIds(j.parentA), old.entry.id));
  CHECK(j.s.journal.thread(j.parentA, old.entry.id, j.a.id).empty());
}

TEST_CASE("a room post drafted before a child joins reaches them when it is posted", "[access]") {
  JournalSetting j;
  j.s.clock.advance(1);
  const auto draft =
      j.s.journal.create(j.staff, {"room_post", "draft", j.nursery.id, "Trip letter", "Bring wellies.", "", "2026-05-20", {}, {}, {}});
  domain::ChildChange move;
  move.roomId = j.nursery.id;
  j.s.children.updateChild(j.manager, j.c.id, move);
  domain::EntryChange publish;
  publish.status = "journal";
  j.s.journal.amend(j.staff, draft.entry.id, publish);
  CHECK(contains(j.feedIds(j.parentC), draft.entry.id));
}

TEST_CASE("recording needs a registered tablet on a secure network", "[access]") {
  JournalSetting j;
  const domain::EntryInput input{"observation", "journal", std::nullopt, "Painting", "", "", "2026-05-20", {j.a.id}, {}, {}};
  // A manager at an office computer manages but does not record (policies 002, 004).
  const auto office = errorOf([&] { j.s.journal.create(j.manager, input); });
  CHECK(office.kind == ErrorKind::forbidden);
  CHECK(office.code == "device_required");
  auto away = j.staff;
  away.origin.address = "203.0.113.7";  // guest Wi-Fi
  CHECK(errorOf([&] { j.s.journal.create(away, input); }).code == "insecure_network");
  CHECK(j.s.auditCount("NBX_RECORDING_REFUSED") == 2);
  CHECK(j.s.journal.create(j.staff, input).entry.status == "journal");
  // Managing still works from the office: review, approve, amend.
  CHECK_NOTHROW(j.s.journal.review(j.manager, j.observe({j.a.id}).entry.id, false, ""));
}

TEST_CASE("no existence oracles in threads and attachments", "[access]") {
  JournalSetting j;
  const auto ea = j.observe({j.a.id});
  const std::string unknown = "0123456789abcdef0123456789abcdef";
  const auto real = errorOf([&] { j.s.journal.thread(j.parentB, ea.entry.id, j.a.id); });
  const auto realOwnChild = errorOf([&] { j.s.journal.thread(j.parentB, ea.entry.id, j.b.id); });
  const auto random = errorOf([&] { j.s.journal.thread(j.parentB, unknown, j.b.id); });
  for (const auto* e : {&real, &realOwnChild}) {
    CHECK(e->kind == random.kind);
    CHECK(e->code == random.code);
    CHECK(std::string(e->what()) == random.what());
  }
}

TEST_CASE("the editor is told who will see an item, by the box's rule", "[access]") {
  JournalSetting j;
  auto consent = [&](const std::string& child, bool own, bool others, bool optOut) {
    j.s.children.recordConsent(j.manager, child, {own, others, optOut, ""});
  };
  consent(j.a.id, true, false, false);  // Ava: own journal only
  consent(j.b.id, true, true, false);   // Ben: anywhere
  consent(j.c.id, false, false, false); // Cara: no photos
  storage::MediaRecord m;
  m.id = "m";
  m.state = "ready";
  m.sha256 = std::string(64, 'a');
  auto audience = [&](std::vector<std::string> tags) { return j.s.access.mediaAudience(m, tags); };

  CHECK(audience({}).everyone);
  auto both = audience({j.a.id, j.b.id, j.a.id});
  CHECK(both.tagged == std::vector<std::string>{j.a.id, j.b.id});
  CHECK(both.seenBy == std::vector<std::string>{j.a.id});  // Ava may not appear in Ben's journal
  REQUIRE(both.obscure.size() == 1);
  CHECK(both.obscure[0].childId == j.a.id);
  CHECK(both.obscure[0].hiddenFrom == std::vector<std::string>{j.b.id});
  auto withCara = audience({j.b.id, j.c.id});
  REQUIRE(withCara.refused.size() == 1);
  CHECK(withCara.refused[0].childId == j.c.id);
  CHECK(withCara.refused[0].reason == "no_photo_consent");
  CHECK(withCara.seenBy == std::vector<std::string>{j.b.id});
  consent(j.c.id, true, true, true);
  CHECK(audience({j.c.id}).refused[0].reason == "opted_out");
  // Obscured in the redacted copy: Ava no longer limits who sees it.
  m.redactedSha256 = std::string(64, 'b');
  m.redaction = "cover";
  m.children = {{j.a.id, true}, {j.b.id, false}};
  auto redacted = audience({j.a.id, j.b.id});
  CHECK(redacted.seenBy == std::vector<std::string>{j.a.id, j.b.id});
  CHECK(redacted.obscure.empty());
}

TEST_CASE("the setting's calendar is its time zone's", "[access][calendar]") {
  domain::Calendar london("Europe/London");
  CHECK(london.dateOf(1782862200) == "2026-07-01");   // 2026-06-30T23:30Z is 00:30 BST on 1 July
  CHECK(london.dateOf(1798758000) == "2026-12-31");   // 2026-12-31T23:00Z is still 31 December (GMT)
  CHECK(london.startOfDay("2026-07-01") == 1782860400);  // 2026-06-30T23:00Z
  CHECK(london.startOfDay("2026-12-01") == 1796083200);  // midnight GMT
  CHECK(london.weekdayOf(1782862200) == 3);              // Wednesday 1 July 2026
  domain::Calendar tehran("Asia/Tehran");
  CHECK(tehran.dateOf(1782862200) == "2026-07-01");
  CHECK(domain::Calendar::knownZone("Europe/Dublin"));
  CHECK_FALSE(domain::Calendar::knownZone("Mars/Olympus_Mons"));
  CHECK_FALSE(domain::Calendar::knownZone("../../etc/passwd"));
  CHECK_THROWS_AS(domain::Calendar("Nowhere"), std::invalid_argument);

  JournalSetting j;
  domain::SettingsChange change;
  change.timeZone = "Atlantis/Capital";
  CHECK(errorOf([&] { j.s.settings.update(j.manager, change); }).field == "time_zone");
  CHECK(j.s.settings.calendar().zone() == "Europe/London");
  change.timeZone = "Pacific/Kiritimati";  // UTC+14: already tomorrow there
  j.s.settings.update(j.manager, change);
  j.s.clock.set(1782820800);  // 2026-06-30T12:00Z: 1 July on Kiritimati
  CHECK(j.s.settings.today(j.s.clock.now()) == "2026-07-01");
  const domain::EntryInput tomorrow{"observation", "journal", std::nullopt, "Painting", "", "", "2026-07-02", {j.a.id}, {}, {}};
  CHECK(errorOf([&] { j.s.journal.create(j.staff, tomorrow); }).field == "observed_on");
  auto today = tomorrow;
  today.observedOn = "2026-07-01";
  CHECK_NOTHROW(j.s.journal.create(j.staff, today));
}

TEST_CASE("strict JSON input: repeated keys, byte-order marks and invisible controls", "[access][json]") {
  CHECK_THROWS_AS(parseJsonObject(R"({"body": "a", "body": "b"})"), InputError);
  CHECK_THROWS_AS(parseJsonObject(R"({"media": [{"id": "x", "id": "y"}]})"), InputError);
  CHECK_NOTHROW(parseJsonObject(R"({"a": {"id": 1}, "b": {"id": 2}})"));  // same key in sibling objects
  CHECK_THROWS_AS(parseJsonObject("\xEF\xBB\xBF{}"), InputError);
  try {
    parseJsonObject(R"({"password": "a", "password": "b"})");
  } catch (const InputError& e) {
    CHECK(e.field == "password");
  }
  const Json body = parseJsonObject("{\"first_name\": \"Ava\xE2\x80\xAE\", \"body\": \"hi\xE2\x80\x8B there \xE2\x81\xA6x\xE2\x81\xA9\","
                                    " \"last_name\": \"\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1\", \"password\": \"p\xE2\x80\x8Bw\"}");
  JsonReader in(body);
  CHECK_THROWS_AS(in.requiredName("first_name", 1, 100), InputError);
  CHECK(in.requiredString("body", 1, 100) == "hi there x");
  CHECK(in.requiredName("last_name", 1, 100) == "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1");  // ZWNJ kept (Persian)
  CHECK(in.requiredSecret("password", 1, 100) == "p\xE2\x80\x8Bw");  // a password is taken as typed
  CHECK(hasInvisibleControls("\xE2\x80\x8F"));
  CHECK_FALSE(hasInvisibleControls("\xE2\x80\x8D"));  // ZWJ
}
