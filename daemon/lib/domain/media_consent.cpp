#include "domain/media_consent.hpp"

#include <algorithm>

namespace nestbox::domain {

bool mayShowChild(const std::string& childId, const storage::ConsentRecord& consent, const std::set<std::string>& family) {
  if (consent.onlineJournalOptOut) return false;
  return family.contains(childId) ? consent.ownJournalPhotos : consent.otherJournals;
}

MediaCopy copyForStaff(const storage::MediaRecord& media) {
  if (media.sha256) return MediaCopy::original;
  return media.redactedSha256 ? MediaCopy::redacted : MediaCopy::none;
}

namespace {

// A redacted copy goes to a family only if it covers its areas (issue 32): one made the old
// way (pixelated; "mosaic") does not hide a child from people who know the room.
MediaCopy forFamily(const storage::MediaRecord& media, MediaCopy copy) {
  return copy == MediaCopy::redacted && media.redaction != "cover" ? MediaCopy::none : copy;
}

}  // namespace

MediaCopy copyForFamily(const storage::MediaRecord& media, const std::set<std::string>& family,
                        const ConsentLookup& consentOf) {
  if (media.state == "failed") return MediaCopy::none;
  const bool erased = !media.erasedChild.empty();
  if (media.children.empty() && !erased) return forFamily(media, copyForStaff(media));
  const bool theirs = std::any_of(media.children.begin(), media.children.end(),
                                  [&](const storage::MediaTagRecord& t) { return family.contains(t.childId); });
  if (!theirs) return MediaCopy::none;
  // An erased child is shown to no one: like a child without consent, only a copy that
  // obscures them may go out.
  bool allShown = !erased;
  bool hiddenAllObscured = media.erasedChild != "shown";
  for (const auto& tag : media.children) {
    if (mayShowChild(tag.childId, consentOf(tag.childId), family)) continue;
    allShown = false;
    if (!tag.obscured) hiddenAllObscured = false;
  }
  if (allShown) return forFamily(media, copyForStaff(media));
  // The redacted copy obscures a superset of what must be hidden only if every child who
  // may not be shown is marked obscured in it.
  return media.redactedSha256 && hiddenAllObscured ? forFamily(media, MediaCopy::redacted) : MediaCopy::none;
}

}  // namespace nestbox::domain
