#pragma once
// Reading query-string and body values that several endpoints share. Each throws
// InputError naming the field, so the person sees what to fix.

#include <cstdint>
#include <optional>
#include <string>

namespace nestbox::http {

// "2026-11-22", "2026-11-22T13:20:00Z" or Unix seconds.
int64_t parseTimeParam(const std::string& text, const std::string& field);
// A page size from 1 to `max`; `fallback` when absent.
int parseLimitParam(const std::optional<std::string>& text, int fallback, int max);

}  // namespace nestbox::http
