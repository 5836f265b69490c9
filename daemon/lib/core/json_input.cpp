#include "core/json_input.hpp"

namespace nestbox {

Json parseJsonObject(const std::string& body) {
  if (body.starts_with("\xEF\xBB\xBF")) {
    throw InputError("", "The request body starts with a byte-order mark; send plain UTF-8 JSON.");
  }
  // Keys seen per open object, innermost last; a repeat is refused.
  std::vector<std::set<std::string>> keys;
  std::optional<std::string> repeated;
  const Json::parser_callback_t check = [&](int, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == Json::parse_event_t::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (event == Json::parse_event_t::key && !keys.empty() && parsed.is_string()) {
      if (!keys.back().insert(parsed.get<std::string>()).second && !repeated) repeated = parsed.get<std::string>();
    }
    return true;
  };
  Json value = Json::parse(body, check, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw InputError("", "The request body is not valid JSON.");
  if (repeated) throw InputError(*repeated, "'" + *repeated + "' appears more than once in the request body; send it once.");
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

namespace {
// The UTF-8 encodings of the invisible controls (json_input.hpp).
bool invisibleAt(std::string_view t, std::size_t i) {
  if (i + 3 > t.size()) return false;
  const auto b0 = static_cast<unsigned char>(t[i]), b1 = static_cast<unsigned char>(t[i + 1]),
             b2 = static_cast<unsigned char>(t[i + 2]);
  if (b0 == 0xEF) return b1 == 0xBB && b2 == 0xBF;                                      // U+FEFF
  if (b0 != 0xE2) return false;
  if (b1 == 0x80) return b2 == 0x8B || b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE);  // 200B/E/F, 202A–E
  if (b1 == 0x81) return b2 >= 0xA6 && b2 <= 0xA9;                                      // U+2066–2069
  return false;
}
}  // namespace

bool hasInvisibleControls(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (invisibleAt(text, i)) return true;
  }
  return false;
}

std::string withoutInvisibleControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (invisibleAt(text, i)) {
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::optional<std::string> JsonReader::read(const std::string& field, std::size_t minLen, std::size_t maxLen,
                                            Kind kind) {
  read_.insert(field);
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw InputError(field, "'" + field + "' must be text.");
  std::string value = it->get<std::string>();
  if (kind == Kind::paragraphs) {
    std::string lines;
    lines.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] != '\r') lines += value[i];
      else if (i + 1 >= value.size() || value[i + 1] != '\n') lines += '\n';
    }
    value = std::move(lines);
  }
  for (unsigned char c : value) {
    if (kind == Kind::paragraphs && (c == '\n' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) throw InputError(field, "'" + field + "' contains control characters.");
  }
  if (kind == Kind::name && hasInvisibleControls(value)) {
    throw InputError(field, "'" + field + "' contains invisible characters that change how text is shown "
                            "(direction marks or zero-width spaces). Type the name again without them.");
  }
  if (kind == Kind::text || kind == Kind::paragraphs) value = withoutInvisibleControls(value);
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
  return value;
}

namespace {
std::string present(const std::string& field, std::optional<std::string> value) {
  if (!value) throw InputError(field, "'" + field + "' is required.");
  return std::move(*value);
}
}  // namespace

std::optional<std::string> JsonReader::optionalString(const std::string& field, std::size_t minLen, std::size_t maxLen) {
  return read(field, minLen, maxLen, Kind::text);
}
std::string JsonReader::requiredString(const std::string& field, std::size_t minLen, std::size_t maxLen) {
  return present(field, optionalString(field, minLen, maxLen));
}
std::optional<std::string> JsonReader::optionalParagraphs(const std::string& field, std::size_t minLen,
                                                          std::size_t maxLen) {
  return read(field, minLen, maxLen, Kind::paragraphs);
}
std::string JsonReader::requiredParagraphs(const std::string& field, std::size_t minLen, std::size_t maxLen) {
  return present(field, optionalParagraphs(field, minLen, maxLen));
}
std::optional<std::string> JsonReader::optionalName(const std::string& field, std::size_t minLen, std::size_t maxLen) {
  return read(field, minLen, maxLen, Kind::name);
}
std::string JsonReader::requiredName(const std::string& field, std::size_t minLen, std::size_t maxLen) {
  return present(field, optionalName(field, minLen, maxLen));
}
std::optional<std::string> JsonReader::optionalSecret(const std::string& field, std::size_t minLen, std::size_t maxLen) {
  return read(field, minLen, maxLen, Kind::secret);
}
std::string JsonReader::requiredSecret(const std::string& field, std::size_t minLen, std::size_t maxLen) {
  return present(field, optionalSecret(field, minLen, maxLen));
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

std::optional<Json> JsonReader::optionalObject(const std::string& field) {
  read_.insert(field);
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) throw InputError(field, "'" + field + "' must be an object.");
  return *it;
}

void JsonReader::finish() const {
  for (const auto& [key, value] : object_.items()) {
    if (!read_.contains(key)) throw InputError(key, "Unknown field '" + key + "'.");
  }
}

}  // namespace nestbox
