#include "domain/curriculum.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace nestbox::domain {

extern const char* const kEyfsFrameworkJson;
extern const char* const kCfeFrameworkJson;

namespace {
std::string foldCurriculumText(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

Framework load(const char* text) {
  Framework f;
  f.data = Json::parse(text);
  f.id = f.data.at("id").get<std::string>();
  for (const auto& area : f.data.at("areas")) {
    const auto areaId = area.at("id").get<std::string>();
    f.names[areaId] = area.at("name").get<std::string>();
    for (const auto& aspect : area.at("aspects")) {
      const auto aspectId = aspect.at("id").get<std::string>();
      f.areaOfAspect[aspectId] = areaId;
      f.names[aspectId] = aspect.at("name").get<std::string>();
      f.aspectOrder.push_back(aspectId);
      f.words[aspectId] = aspect.value("words", std::vector<std::string>{});
    }
  }
  return f;
}
}  // namespace

const Framework& framework(const std::string& id) {
  static const std::map<std::string, Framework> all = {{"eyfs", load(kEyfsFrameworkJson)},
                                                       {"cfe", load(kCfeFrameworkJson)}};
  return all.at(id);
}

std::optional<std::string> Framework::aspectInWords(const std::string& aspectId) const {
  const auto aspect = names.find(aspectId);
  const auto area = areaOfAspect.find(aspectId);
  if (aspect == names.end() || area == areaOfAspect.end()) return std::nullopt;
  const auto areaName = names.find(area->second);
  return areaName == names.end() ? aspect->second : areaName->second + ": " + aspect->second;
}

std::vector<std::string> Framework::search(const std::string& query) const {
  std::vector<std::string> terms;
  std::istringstream in(foldCurriculumText(query));
  for (std::string term; in >> term;) terms.push_back(term);
  std::vector<std::string> found;
  for (const auto& aspectId : aspectOrder) {
    std::string haystack = foldCurriculumText(names.at(aspectId) + "\n" + names.at(areaOfAspect.at(aspectId)));
    if (const auto w = words.find(aspectId); w != words.end()) {
      for (const auto& word : w->second) haystack += "\n" + foldCurriculumText(word);
    }
    if (std::all_of(terms.begin(), terms.end(), [&](const std::string& t) { return haystack.find(t) != std::string::npos; })) {
      found.push_back(aspectId);
    }
  }
  return found;
}

}  // namespace nestbox::domain
