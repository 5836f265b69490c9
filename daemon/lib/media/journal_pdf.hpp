#pragma once
// The printable journal (issue 20), drawn with cairo and laid out with pango: A4 pages, a title
// page, then each month's entries with their photos. Runs inside nestbox-media only (it reads
// image files), behind MediaProcessor::renderJournalPdf.

#include <string>

#include "media/processor.hpp"

namespace nestbox::media {

// Writes the PDF to `out`; returns its page count. JPEG files are embedded as they are (cairo's
// JPEG mime data), so a photo is never re-encoded; anything not a readable JPEG is left out.
int writeJournalPdf(const JournalDocument& document, const std::string& out);

}  // namespace nestbox::media
