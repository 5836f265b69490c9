#pragma once
// Strict reading of JSON request bodies: every field is declared with its type and limits,
// and whatever was not declared is an error. Reading stops at the first problem with a
// message fit to show next to the form field it names.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace nestbox {

using Json = nlohmann::json;

struct InputError : std::runtime_error {
  InputError(std::string field, const std::string& message)
      : std::runtime_error(message), field(std::move(field)) {}
  std::string field;  // empty when the problem is the body as a whole
};

// Parses a request body as a JSON object or throws InputError.
Json parseJsonObject(const std::string& body);

class JsonReader {
 public:
  explicit JsonReader(const Json& object);

  std::string requiredString(const std::string& field, std::size_t minLen, std::size_t maxLen);
  std::optional<std::string> optionalString(const std::string& field, std::size_t minLen,
                                            std::size_t maxLen);
  std::optional<bool> optionalBool(const std::string& field);
  std::optional<int64_t> optionalInt(const std::string& field, int64_t min, int64_t max);
  // A list of non-empty texts (ids), at most `maxItems` of at most `maxLen` characters each.
  std::optional<std::vector<std::string>> optionalStringList(const std::string& field, std::size_t maxItems,
                                                             std::size_t maxLen);

  // A list of objects, at most `maxItems`; read each with its own JsonReader.
  std::optional<std::vector<Json>> optionalObjectList(const std::string& field, std::size_t maxItems);

  // Throws InputError naming the first field that was sent but never read.
  void finish() const;

 private:
  const Json& object_;
  std::set<std::string> read_;
};

}  // namespace nestbox
