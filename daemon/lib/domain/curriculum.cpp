#include "domain/curriculum.hpp"

#include <stdexcept>

namespace nestbox::domain {

extern const char* const kEyfsFrameworkJson;
extern const char* const kCfeFrameworkJson;

namespace {
Framework load(const char* text) {
  Framework f;
  f.data = Json::parse(text);
  f.id = f.data.at("id").get<std::string>();
  for (const auto& area : f.data.at("areas")) {
    const auto areaId = area.at("id").get<std::string>();
    f.names[areaId] = area.at("name").get<std::string>();
    for (const auto& aspect : area.at("aspects")) {
      f.areaOfAspect[aspect.at("id").get<std::string>()] = areaId;
      f.names[aspect.at("id").get<std::string>()] = aspect.at("name").get<std::string>();
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

}  // namespace nestbox::domain
