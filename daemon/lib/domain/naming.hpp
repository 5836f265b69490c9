#pragma once
// Naming a child in words (issue 32). Consent at the pixel hides a child in photos; an entry's
// words can still name them to families who may not see them ("Ava and Zara built a den").
// Pure: from an entry's text, the setting's children and the consent register, the children
// named whom some family receiving the entry may not see. It only warns: the staff member
// decides (the editor offers "a friend"), and a saved entry is never blocked by it.

#include <string>
#include <vector>

#include "domain/media_consent.hpp"

namespace nestbox::domain {

struct ChildName {
  std::string id;
  std::string firstName;
};

struct NamedChild {
  std::string childId;
  std::string name;                     // as it appears in the words (the child's first name)
  std::vector<std::string> hiddenFrom;  // receiving children whose families may not see them
  std::string message;                  // for staff, in words (filled by the journal service)
};

// True when `name` appears in `text` as a word of its own, ignoring letter case (ASCII): not
// inside a longer word ("Ava" is not in "Avalanche"). Letters beyond ASCII count as word letters.
bool namesWord(const std::string& text, const std::string& name);

// The children named in `text` who may not appear to the family of some child in `receivers`
// (each receiving child's family, as mayShowChild decides it), in the order of `children`.
std::vector<NamedChild> namedHiddenChildren(const std::string& text, const std::vector<std::string>& receivers,
                                            const std::vector<ChildName>& children, const ConsentLookup& consentOf);

}  // namespace nestbox::domain
