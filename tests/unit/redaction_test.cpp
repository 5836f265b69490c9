// Redaction that hides (issue 32): the areas a redacted copy replaces, as a pure rule.
#include <catch2/catch.hpp>

#include "domain/redaction.hpp"

using namespace nestbox;
using namespace nestbox::domain;
using storage::RedactedArea;

namespace {

bool same(const media::Region& r, int64_t x, int64_t y, int64_t w, int64_t h, bool pixelate = false) {
  return r.x == x && r.y == y && r.width == w && r.height == h && r.pixelate == pixelate;
}

}  // namespace

TEST_CASE("a covered person's area grows by the margin on every side, clipped to the photo") {
  struct Case {
    const char* what;
    RedactedArea marked;
    int margin;
    int64_t x, y, w, h;
  };
  const std::vector<Case> cases = {
      {"10 % of 200 × 100 in the middle", {400, 300, 200, 100}, 10, 380, 290, 240, 120},
      {"no margin", {400, 300, 200, 100}, 0, 400, 300, 200, 100},
      {"rounded up: 10 % of 15 px is 2 px", {100, 100, 15, 15}, 10, 98, 98, 19, 19},
      {"at the top left corner", {0, 0, 100, 100}, 20, 0, 0, 120, 120},
      {"at the bottom right corner", {900, 700, 100, 100}, 20, 880, 680, 120, 120},
      {"the whole photo", {0, 0, 1000, 800}, 50, 0, 0, 1000, 800},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const auto areas = redactionAreas({c.marked}, c.margin, 1000, 800);
    REQUIRE(areas.size() == 1);
    CHECK(same(areas[0], c.x, c.y, c.w, c.h));
  }
}

TEST_CASE("a thing marked to pixelate keeps its area exactly, with no margin") {
  const auto areas = redactionAreas({{400, 300, 200, 100, true}, {10, 10, 50, 50}}, 10, 1000, 800);
  REQUIRE(areas.size() == 2);
  CHECK(same(areas[0], 400, 300, 200, 100, true));
  CHECK(same(areas[1], 5, 5, 60, 60));
}

TEST_CASE("an area wholly outside the photo replaces nothing") {
  CHECK(redactionAreas({{1200, 900, 50, 50}}, 10, 1000, 800).empty());
}

TEST_CASE("areas marked over a copy that already hides some are kept together, once each") {
  const auto both = unionOfAreas({{1, 2, 3, 4}}, {{1, 2, 3, 4}, {5, 6, 7, 8, true}});
  REQUIRE(both.size() == 2);
  CHECK(both[1] == RedactedArea{5, 6, 7, 8, true});
}

TEST_CASE("which redacted copies the box covers again, and which staff must mark again") {
  storage::MediaRecord m;
  CHECK(coverAgain(m, 10) == CoverAgain::nothing);  // no redacted copy
  m.redactedSha256 = std::string(64, 'b');
  m.redaction = "mosaic";
  CHECK(coverAgain(m, 10) == CoverAgain::markAgain);  // areas unknown
  m.redaction = "cover";
  m.redactionRegions = {{1, 2, 3, 4}};
  m.redactionMargin = 10;
  CHECK(coverAgain(m, 10) == CoverAgain::nothing);
  CHECK(coverAgain(m, 5) == CoverAgain::nothing);    // a smaller margin now: the copy hides more already
  CHECK(coverAgain(m, 20) == CoverAgain::cover);     // a larger one: cover the stored copy again
  m.redactionRegions = {{1, 2, 3, 4, true}};
  CHECK(coverAgain(m, 20) == CoverAgain::nothing);   // only things pixelated: no margin applies
}
