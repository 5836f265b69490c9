// The offline journal page of an export (issue 20): everything escaped, nothing loaded from
// anywhere but the folder, entries grouped by month with human dates, media by relative path.
#include <catch2/catch.hpp>

#include <regex>

#include "domain/export_page.hpp"
#include "system/clock.hpp"

using namespace nestbox;

namespace {
domain::ExportedJournal journal() {
  domain::ExportedJournal j;
  j.settingName = "Rainbow <Nursery>";
  j.childName = "Ava-Rose";
  j.timeZone = "Europe/London";
  j.madeAt = *system::parseTimestamp("2026-12-01T23:30:00Z");
  domain::ExportedEntry first;
  first.date = "2026-12-01";
  first.kind = "observation";
  first.title = "Counting <script>alert(1)</script> acorns";
  first.body = "She counted to ten.\nThen to twenty.\n\nA new paragraph & more.";
  first.nextSteps = "Count backwards";
  first.author = "Kate O'Neill";
  first.areas = {"Mathematics: Number"};
  first.media = {{"media/1a2b.jpg", "image/jpeg"}, {"media/3c4d.mp4", "video/mp4"}, {"media/5e6f.pdf", "application/pdf"}};
  first.comments = {{"Sam (Ava-Rose's family)", "Lovely! <b>thanks</b>", *system::parseTimestamp("2026-12-01T23:59:00Z")}};
  first.likedBy = {"Sam <Dad>", "Priya"};
  domain::ExportedEntry second;
  second.date = "2026-11-28";
  second.kind = "home";
  second.title = "Baking at home";
  j.entries = {first, second};
  return j;
}
}  // namespace

TEST_CASE("the export page escapes every text and loads nothing from outside the folder") {
  const std::string html = domain::renderExportPage(journal());
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("Counting &lt;script&gt;alert(1)&lt;/script&gt; acorns") != std::string::npos);
  CHECK(html.find("Rainbow &lt;Nursery&gt;") != std::string::npos);
  CHECK(html.find("Lovely! &lt;b&gt;thanks&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("Kate O&#39;Neill") != std::string::npos);
  CHECK(html.find("://") == std::string::npos);  // no URL anywhere: no network, no tracking
  CHECK(html.find("default-src 'none'") != std::string::npos);
  // Every src and href is a relative path into media/.
  const std::regex ref(R"((src|href)="([^"]*)\")");
  int refs = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), ref); it != std::sregex_iterator(); ++it, ++refs) {
    CHECK(std::regex_match((*it)[2].str(), std::regex(R"(media/[0-9a-f]+\.(jpg|mp4|pdf))")));
  }
  CHECK(refs == 3);
}

TEST_CASE("the export page: entries by month, newest first, with human dates, media, areas, next steps and comments") {
  const std::string html = domain::renderExportPage(journal());
  const auto count = [&](const std::string& needle) {
    int n = 0;
    for (auto at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) ++n;
    return n;
  };
  CHECK(count("<article class=\"entry\">") == 2);
  CHECK(html.find("December 2026") < html.find("November 2026"));
  CHECK(html.find("Tuesday 1 December 2026 · Observation · Kate") != std::string::npos);
  CHECK(html.find("Saturday 28 November 2026 · From home") != std::string::npos);
  CHECK(html.find("<p>She counted to ten.<br>Then to twenty.</p><p>A new paragraph &amp; more.</p>") != std::string::npos);
  CHECK(count("<img src=\"media/1a2b.jpg\"") == 1);
  CHECK(count("<video controls preload=\"metadata\" src=\"media/3c4d.mp4\"") == 1);
  CHECK(count("<a href=\"media/5e6f.pdf\">") == 1);
  CHECK(html.find("<li>Mathematics: Number</li>") != std::string::npos);
  CHECK(html.find("<strong>Next steps</strong><p>Count backwards</p>") != std::string::npos);
  // A comment at 23:59 UTC on 1 December is still 1 December in London; downloaded that day.
  CHECK(html.find("Sam (Ava-Rose&#39;s family), Tuesday 1 December 2026") != std::string::npos);
  CHECK(html.find("Liked by Sam &lt;Dad&gt; and Priya") != std::string::npos);  // the family's hearts (issue 22)
  CHECK(html.find("downloaded on Tuesday 1 December 2026 · 2 entries") != std::string::npos);
}

TEST_CASE("the export page: an empty journal says so; a media path that leaves the folder is refused") {
  auto j = journal();
  j.entries.clear();
  CHECK(domain::renderExportPage(j).find("There are no entries in this journal yet.") != std::string::npos);
  for (const char* bad : {"../nestbox.db", "media/../../x.jpg", "/etc/passwd", "media/a/b.jpg", "media/x\".jpg", "http://x/y.jpg"}) {
    INFO(bad);
    auto k = journal();
    k.entries[0].media = {{bad, "image/jpeg"}};
    CHECK_THROWS_AS(domain::renderExportPage(k), std::invalid_argument);
  }
}
