#pragma once
// Redaction that hides (issue 32). Pure: from the areas staff marked, the pixels a redacted
// copy replaces. A person's area is covered solid with a margin on every side (the setting's
// share of the area's width and height), because an outline, a sleeve or a head of hair at
// the edge is enough for a family to know a child in their room; an area marked `pixelate`
// (a thing, never a person) is pixelated exactly as marked.

#include <cstdint>
#include <string>
#include <vector>

#include "media/processor.hpp"
#include "storage/journal_records.hpp"

namespace nestbox::domain {

// The areas to replace in a photo of `width` × `height`, margins added and clipped to it.
std::vector<media::Region> redactionAreas(const std::vector<storage::RedactedArea>& marked, int marginPct,
                                          int64_t width, int64_t height);

// Marked areas combined: a redaction over a copy that already hides `before` hides both.
std::vector<storage::RedactedArea> unionOfAreas(std::vector<storage::RedactedArea> before,
                                                const std::vector<storage::RedactedArea>& added);

// What the box does with an item's redacted copy now.
enum class CoverAgain {
  nothing,     // no redacted copy, or covered as the box asks
  cover,       // covered, with a smaller margin than the setting's: cover the stored copy again
  markAgain,   // made the old way, areas unknown: staff must mark them (families get none of it)
};
CoverAgain coverAgain(const storage::MediaRecord& media, int marginPct);

}  // namespace nestbox::domain
