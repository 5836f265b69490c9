#include "domain/naming.hpp"

#include <algorithm>

namespace nestbox::domain {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool wordChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool namesWord(const std::string& text, const std::string& name) {
  if (name.empty() || name.size() > text.size()) return false;
  for (std::size_t at = 0; at + name.size() <= text.size(); ++at) {
    const bool same = std::equal(name.begin(), name.end(), text.begin() + static_cast<std::ptrdiff_t>(at),
                                 [](char a, char b) { return lower(a) == lower(b); });
    if (!same) continue;
    const bool startsWord = at == 0 || !wordChar(text[at - 1]);
    const std::size_t end = at + name.size();
    // "Ava's" names Ava; "Avalanche" does not.
    const bool endsWord = end == text.size() || !wordChar(text[end]);
    if (startsWord && endsWord) return true;
  }
  return false;
}

std::vector<NamedChild> namedHiddenChildren(const std::string& text, const std::vector<std::string>& receivers,
                                            const std::vector<ChildName>& children, const ConsentLookup& consentOf) {
  std::vector<NamedChild> out;
  for (const auto& child : children) {
    if (!namesWord(text, child.firstName)) continue;
    NamedChild named{child.id, child.firstName, {}, {}};
    const auto consent = consentOf(child.id);
    for (const auto& receiver : receivers) {
      if (receiver == child.id) continue;
      if (!mayShowChild(child.id, consent, {receiver})) named.hiddenFrom.push_back(receiver);
    }
    if (!named.hiddenFrom.empty()) out.push_back(std::move(named));
  }
  return out;
}

}  // namespace nestbox::domain
