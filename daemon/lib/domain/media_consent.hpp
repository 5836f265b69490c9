#pragma once
// Consent at the pixel (PRODUCT.md rule 4; policies 000–003). Decides, from the consent
// register as it stands now, which copy of a photo or video a viewer may see. Pure: the
// caller passes the consents, so the rule is tested on its own and applied at request time
// (a consent withdrawn today applies to everything already recorded).

#include <functional>
#include <set>
#include <string>

#include "storage/journal_records.hpp"

namespace nestbox::domain {

enum class MediaCopy {
  none,      // this viewer may not see the item at all
  original,  // the stored original (location and device data already stripped)
  redacted,  // the copy in which children who may not be shown are obscured
};

using ConsentLookup = std::function<storage::ConsentRecord(const std::string& childId)>;

// True when the child may be shown, unobscured, to the family `family` (the viewer's own
// children): their own child needs consent to photos in their own journal, another family's
// child consent to appear in other journals; a child opted out of online journals is shown
// to no one.
bool mayShowChild(const std::string& childId, const storage::ConsentRecord& consent, const std::set<std::string>& family);

// A parent whose children are `family`. Media in which no child appears (a newsletter, the
// garden) goes to every family that sees the entry. Otherwise one of their children must be
// in it, and every child who may not be shown to them must be obscured in the redacted copy,
// which is then the only copy they get. An erased child's anonymous marker counts as a child
// who may be shown to no one. Items whose processing failed are never shown, nor a redacted
// copy that does not cover its areas (made before issue 32: `redaction` "mosaic").
MediaCopy copyForFamily(const storage::MediaRecord& media, const std::set<std::string>& family,
                        const ConsentLookup& consentOf);

// Staff and managers: the original while it is kept, else the redacted copy.
MediaCopy copyForStaff(const storage::MediaRecord& media);

}  // namespace nestbox::domain
