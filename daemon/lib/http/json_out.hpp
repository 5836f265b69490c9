#pragma once
// Helpers for the JSON the API writes.

#include <optional>

#include "core/json_input.hpp"

namespace nestbox::http {

// An optional value as JSON: the value itself, or null when it is absent.
template <typename T>
Json optionalJson(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace nestbox::http
