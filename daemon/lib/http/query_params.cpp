#include "http/query_params.hpp"

#include <ctime>

#include "core/json_input.hpp"
#include "system/clock.hpp"

namespace nestbox::http {

int64_t parseTimeParam(const std::string& text, const std::string& field) {
  if (!text.empty() && text.size() <= 12 && text.find_first_not_of("0123456789") == std::string::npos) {
    return std::stoll(text);
  }
  if (const auto t = system::parseTimestamp(text)) return *t;
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%d", &tm);
  if (end && *end == '\0') return static_cast<int64_t>(timegm(&tm));
  throw InputError(field, "'" + field + "' must be a date like 2026-11-22 or 2026-11-22T13:20:00Z.");
}

int parseLimitParam(const std::optional<std::string>& text, int fallback, int max) {
  if (!text) return fallback;
  if (text->empty() || text->size() > 4 || text->find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(*text) < 1 || std::stoi(*text) > max) {
    throw InputError("limit", "'limit' must be from 1 to " + std::to_string(max) + ".");
  }
  return std::stoi(*text);
}

}  // namespace nestbox::http
