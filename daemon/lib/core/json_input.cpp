#include "core/json_input.hpp"

namespace nestbox {

Json parseJsonObject(const std::string& body) {
  Json value = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw InputError("", "The request body is not valid JSON.");
  if (!value.is_object()) throw InputError("", "The request body must be a JSON object.");
  return value;
}

JsonReader::JsonReader(const Json& object) : object_(object) {}

namespace {
std::size_t utf8Length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

std::optional<std::string> JsonReader::optionalString(const std::string& field, std::size_t minLen,
                                                      std::size_t maxLen) {
  read_.insert(field);
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw InputError(field, "'" + field + "' must be text.");
  std::string value = it->get<std::string>();
  const std::size_t len = utf8Length(value);
  if (len < minLen) {
    throw InputError(field, minLen == 1 ? "'" + field + "' must not be empty."
                                        : "'" + field + "' must be at least " +
                                              std::to_string(minLen) + " characters.");
  }
  if (len > maxLen) {
    throw InputError(field, "'" + field + "' must be at most " + std::to_string(maxLen) +
                                " characters.");
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) throw InputError(field, "'" + field + "' contains control characters.");
  }
  return value;
}

std::string JsonReader::requiredString(const std::string& field, std::size_t minLen,
                                       std::size_t maxLen) {
  auto value = optionalString(field, minLen, maxLen);
  if (!value) throw InputError(field, "'" + field + "' is required.");
  return *value;
}

std::optional<bool> JsonReader::optionalBool(const std::string& field) {
  read_.insert(field);
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw InputError(field, "'" + field + "' must be true or false.");
  return it->get<bool>();
}

std::optional<int64_t> JsonReader::optionalInt(const std::string& field, int64_t min, int64_t max) {
  read_.insert(field);
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) throw InputError(field, "'" + field + "' must be a whole number.");
  const auto value = it->get<int64_t>();
  if (value < min || value > max) {
    throw InputError(field, "'" + field + "' must be from " + std::to_string(min) + " to " +
                                std::to_string(max) + ".");
  }
  return value;
}

std::optional<std::vector<std::string>> JsonReader::optionalStringList(const std::string& field, std::size_t maxItems,
                                                                       std::size_t maxLen) {
  read_.insert(field);
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_array() || it->size() > maxItems) {
    throw InputError(field, "'" + field + "' must be a list of at most " + std::to_string(maxItems) + " items.");
  }
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string() || item.get<std::string>().empty() || item.get<std::string>().size() > maxLen) {
      throw InputError(field, "'" + field + "' must list ids as text.");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::vector<Json>> JsonReader::optionalObjectList(const std::string& field, std::size_t maxItems) {
  read_.insert(field);
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_array() || it->size() > maxItems) {
    throw InputError(field, "'" + field + "' must be a list of at most " + std::to_string(maxItems) + " items.");
  }
  std::vector<Json> out;
  for (const auto& item : *it) {
    if (!item.is_object()) throw InputError(field, "Each item of '" + field + "' must be an object.");
    out.push_back(item);
  }
  return out;
}

void JsonReader::finish() const {
  for (const auto& [key, value] : object_.items()) {
    if (!read_.contains(key)) throw InputError(key, "Unknown field '" + key + "'.");
  }
}

}  // namespace nestbox
