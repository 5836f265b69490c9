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
#include <string_view>
#include <vector>

namespace nestbox {

using Json = nlohmann::json;

struct InputError : std::runtime_error {
  InputError(std::string field, const std::string& message)
      : std::runtime_error(message), field(std::move(field)) {}
  std::string field;  // empty when the problem is the body as a whole
};

// Parses a request body as a JSON object or throws InputError. Strict: a byte-order mark
// before the body and a key repeated in one object are refused (parsers disagree on which
// repeat wins, so a proxy and the box could read different values).
Json parseJsonObject(const std::string& body);

// Characters that are invisible yet change how text around them is shown: bidirectional
// embeddings, overrides and isolates (U+202A–202E, U+2066–2069), the directional marks
// (U+200E, U+200F), zero-width space (U+200B) and zero-width no-break space (U+FEFF). A name
// holding one can pass for another ("Ava" and "Ava\u200B"), and an override can make a comment
// read backwards. U+200C and U+200D (zero-width non-joiner and joiner) are kept: Persian and
// Indic names need them.
bool hasInvisibleControls(std::string_view text);
std::string withoutInvisibleControls(std::string_view text);

class JsonReader {
 public:
  explicit JsonReader(const Json& object);

  // Text: invisible controls (above) are removed, then the length is checked.
  std::string requiredString(const std::string& field, std::size_t minLen, std::size_t maxLen);
  std::optional<std::string> optionalString(const std::string& field, std::size_t minLen,
                                            std::size_t maxLen);
  // Text of several lines (an entry's body, a comment): as optionalString, with line breaks
  // kept (a CR LF or lone CR becomes LF) and tabs allowed; other control characters refused.
  std::optional<std::string> optionalParagraphs(const std::string& field, std::size_t minLen, std::size_t maxLen);
  std::string requiredParagraphs(const std::string& field, std::size_t minLen, std::size_t maxLen);
  // A person's, child's, room's or device's name: invisible controls are refused (400).
  std::string requiredName(const std::string& field, std::size_t minLen, std::size_t maxLen);
  std::optional<std::string> optionalName(const std::string& field, std::size_t minLen, std::size_t maxLen);
  // A password or PIN: taken byte for byte as typed (only control characters refused).
  std::string requiredSecret(const std::string& field, std::size_t minLen, std::size_t maxLen);
  std::optional<std::string> optionalSecret(const std::string& field, std::size_t minLen, std::size_t maxLen);
  std::optional<bool> optionalBool(const std::string& field);
  std::optional<int64_t> optionalInt(const std::string& field, int64_t min, int64_t max);
  // A list of non-empty texts (ids), at most `maxItems` of at most `maxLen` characters each.
  std::optional<std::vector<std::string>> optionalStringList(const std::string& field, std::size_t maxItems,
                                                             std::size_t maxLen);

  // A list of objects, at most `maxItems`; read each with its own JsonReader.
  std::optional<std::vector<Json>> optionalObjectList(const std::string& field, std::size_t maxItems);

  // An object; read it with a JsonReader of its own (which refers to it: keep it alive).
  std::optional<Json> optionalObject(const std::string& field);

  // Throws InputError naming the first field that was sent but never read.
  void finish() const;

 private:
  enum class Kind { text, paragraphs, name, secret };
  std::optional<std::string> read(const std::string& field, std::size_t minLen, std::size_t maxLen, Kind kind);

  const Json& object_;
  std::set<std::string> read_;
};

}  // namespace nestbox
