// The managers' part of issue 32, its pure rules: curriculum search with everyday words, and
// what an audit row says about its subject (a name, or a phrase for one since erased).
#include <catch2/catch.hpp>

#include <algorithm>

#include "domain/audit.hpp"
#include "domain/curriculum.hpp"

using namespace nestbox;

TEST_CASE("curriculum search: everyday words and statements find their aspect") {
  const auto& eyfs = domain::framework("eyfs");
  const auto finds = [&](const std::string& query, const std::string& aspect) {
    const auto found = eyfs.search(query);
    return std::find(found.begin(), found.end(), aspect) != found.end();
  };
  CHECK(finds("count", "eyfs.m.n"));         // the example: "count" finds Number
  CHECK(finds("Counting", "eyfs.m.n"));      // any case, a longer form
  CHECK(finds("how many", "eyfs.m.n"));      // a statement of several words
  CHECK(finds("scissors", "eyfs.pd.fm"));
  CHECK(finds("climb", "eyfs.pd.gm"));
  CHECK(finds("minibeasts", "eyfs.uw.nw"));
  CHECK(finds("number", "eyfs.m.n"));        // names still find themselves
  CHECK(finds("mathematics", "eyfs.m.np"));  // and an area's name its aspects
  CHECK_FALSE(finds("count", "eyfs.l.w"));
  CHECK(eyfs.search("xylophoneless").empty());
  CHECK(eyfs.search("").size() == eyfs.aspectOrder.size());
  CHECK(eyfs.search("  ").size() == eyfs.aspectOrder.size());
  // Every aspect of every framework has its words (the web app's chips search the same data).
  for (const char* id : {"eyfs", "cfe"}) {
    const auto& f = domain::framework(id);
    for (const auto& aspect : f.aspectOrder) {
      INFO(aspect);
      CHECK_FALSE(f.words.at(aspect).empty());
    }
  }
  const auto& cfe = domain::framework("cfe");
  const auto numeracy = cfe.search("count");
  CHECK(std::find(numeracy.begin(), numeracy.end(), "cfe.num.nmm") != numeracy.end());
}

TEST_CASE("audit rows name their subject as managers see it, never by id") {
  domain::AuditNames names;
  names["child"]["c1"] = "Ada Lovelace";
  names["entry"]["e1"] = "“Painting”";
  names["device"]["d1"] = "Blue room iPad";
  names["user"]["u1"] = "Kate Smith";
  CHECK(domain::auditSubjectName("child", "c1", names) == "Ada Lovelace");
  CHECK(domain::auditSubjectName("entry", "e1", names) == "“Painting”");
  CHECK(domain::auditSubjectName("device", "d1", names) == "Blue room iPad");
  CHECK(domain::auditSubjectName("user", "u1", names) == "Kate Smith");
  // Erased or removed: described, with no id in it.
  CHECK(domain::auditSubjectName("child", "gone", names) == "a child who has left");
  CHECK(domain::auditSubjectName("entry", "gone", names) == "an entry no longer in the journal");
  CHECK(domain::auditSubjectName("device", "gone", names) == "a device since removed");
  CHECK(domain::auditSubjectName("user", "gone", names) == "a person whose account is gone");
  CHECK(domain::auditSubjectName("media", "gone", {}) == "a photo or video since deleted");
  // Subjects with no name to give.
  CHECK_FALSE(domain::auditSubjectName("setting", "", names));
  CHECK_FALSE(domain::auditSubjectName("route", "/api/v1/audit", names));
}
