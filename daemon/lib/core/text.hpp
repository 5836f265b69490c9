#pragma once
// Small text helpers shared by every layer.

#include <string>

namespace nestbox {

// ASCII lower case, byte by byte, whatever the process locale: for case-insensitive names,
// header names and usernames. Bytes outside ASCII are left as they are.
inline std::string asciiLower(std::string text) {
  for (auto& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace nestbox
