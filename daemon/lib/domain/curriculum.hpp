#pragma once
// Curriculum frameworks, shipped as data (daemon/data/frameworks/*.json): EYFS with its seven
// areas, the characteristics of effective learning and age bands; Scotland's Curriculum for
// Excellence with its nine curriculum areas. One is chosen per setting; entries link to
// aspect ids of the current one.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json_input.hpp"

namespace nestbox::domain {

struct Framework {
  std::string id;
  Json data;  // as shipped: {id, name, areas: [{id, name, aspects: [{id, name}]}], age_bands}
  std::map<std::string, std::string> areaOfAspect;  // aspect id -> area id
  std::map<std::string, std::string> names;         // area or aspect id -> name
  // Everyday words and statements per aspect (issue 32: "count" finds Number), as shipped.
  std::map<std::string, std::vector<std::string>> words;  // aspect id -> words
  std::vector<std::string> aspectOrder;                   // aspect ids as shipped

  bool hasAspect(const std::string& aspectId) const { return areaOfAspect.contains(aspectId); }
  bool hasArea(const std::string& areaId) const { return names.contains(areaId) && !hasAspect(areaId); }
  // An aspect in words with its area ("Mathematics: Number"); nothing for an unknown id.
  std::optional<std::string> aspectInWords(const std::string& aspectId) const;
  // The aspects a search finds, in the framework's order: each word of the query (any case)
  // is in the aspect's name, its area's name or one of its everyday words. An empty query
  // finds every aspect. The web app's chip search applies the same rule to the same data.
  std::vector<std::string> search(const std::string& query) const;
};

// Throws std::out_of_range for an unknown framework id.
const Framework& framework(const std::string& id);

}  // namespace nestbox::domain
