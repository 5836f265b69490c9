#include "domain/redaction.hpp"

#include <algorithm>

namespace nestbox::domain {

std::vector<media::Region> redactionAreas(const std::vector<storage::RedactedArea>& marked, int marginPct,
                                          int64_t width, int64_t height) {
  std::vector<media::Region> out;
  const int64_t pct = std::clamp(marginPct, 0, 100);
  for (const auto& a : marked) {
    // Rounded up, so a margin is never lost to a small area.
    const int64_t mx = a.pixelate ? 0 : (a.width * pct + 99) / 100;
    const int64_t my = a.pixelate ? 0 : (a.height * pct + 99) / 100;
    const int64_t left = std::clamp<int64_t>(a.x - mx, 0, width), top = std::clamp<int64_t>(a.y - my, 0, height);
    const int64_t right = std::clamp<int64_t>(a.x + a.width + mx, 0, width);
    const int64_t bottom = std::clamp<int64_t>(a.y + a.height + my, 0, height);
    if (right <= left || bottom <= top) continue;
    out.push_back({left, top, right - left, bottom - top, a.pixelate});
  }
  return out;
}

std::vector<storage::RedactedArea> unionOfAreas(std::vector<storage::RedactedArea> before,
                                                const std::vector<storage::RedactedArea>& added) {
  for (const auto& a : added) {
    if (std::find(before.begin(), before.end(), a) == before.end()) before.push_back(a);
  }
  return before;
}

CoverAgain coverAgain(const storage::MediaRecord& media, int marginPct) {
  if (!media.redactedSha256) return CoverAgain::nothing;
  if (media.redaction == "mosaic" || media.redaction.empty()) return CoverAgain::markAgain;
  const bool anyCovered = std::any_of(media.redactionRegions.begin(), media.redactionRegions.end(),
                                      [](const storage::RedactedArea& a) { return !a.pixelate; });
  return anyCovered && media.redactionMargin < marginPct ? CoverAgain::cover : CoverAgain::nothing;
}

}  // namespace nestbox::domain
