#pragma once
// A media processor for domain tests: no codecs. "Images" are files whose first bytes are a
// real format signature (so sniffing works) followed by "WxH" text giving their size;
// storing copies the bytes, derivatives and redactions write small marker files. Counts
// calls and can be told to fail, so tests can check the flow around the real processor.

#include <fstream>
#include <sstream>
#include <string>

#include "media/processor.hpp"
#include "system/files.hpp"

namespace nestbox::testing {

// A fake JPEG of the given size: the JPEG signature, then "WxH".
inline std::string fakeJpeg(int width, int height, const std::string& extra = "") {
  return std::string("\xFF\xD8\xFF\xE0", 4) + std::to_string(width) + "x" + std::to_string(height) + ";" + extra;
}

class FakeMediaProcessor final : public media::MediaProcessor {
 public:
  int stored = 0, derived = 0, redacted = 0;
  std::vector<media::Region> lastRegions;  // what the last redaction replaced
  bool failProcessing = false;
  int64_t maxPixels = 100'000'000;

  media::Probe probe(const std::string& path, media::Format) override {
    const std::string bytes = system::readFile(path);
    int w = 0, h = 0;
    if (std::sscanf(bytes.c_str() + 4, "%dx%d", &w, &h) != 2 || w <= 0 || h <= 0) {
      throw media::MediaError(media::MediaError::Kind::corrupt, "The file could not be read.");
    }
    if (int64_t(w) * h > maxPixels) throw media::MediaError(media::MediaError::Kind::tooLarge, "Too many pixels.");
    return {w, h, std::nullopt};
  }
  media::StoredOriginal storeOriginal(const std::string& in, media::Format format, const std::string& out) override {
    if (failProcessing) throw media::MediaError(media::MediaError::Kind::corrupt, "The file could not be read.");
    ++stored;
    const auto p = probe(in, format);
    system::writeFileAtomic(out, system::readFile(in) + "[stripped]", 0640);
    return {"image/jpeg", p};
  }
  void makeDerivatives(const std::string& storedPath, const std::string&, const std::string& thumb,
                       const std::string& display) override {
    ++derived;
    system::writeFileAtomic(thumb, "thumb of " + storedPath, 0640);
    system::writeFileAtomic(display, "display of " + storedPath, 0640);
  }
  media::StoredOriginal redact(const std::string& storedPath, const std::string&, const std::vector<media::Region>& regions,
                               const std::string& out) override {
    ++redacted;
    lastRegions = regions;
    system::writeFileAtomic(out, system::readFile(storedPath) + "[redacted " + std::to_string(regions.size()) + "]", 0640);
    return {"image/jpeg", {}};
  }
  // The document as JSON, with the images' contents appended, so tests can see what went in.
  int pdfs = 0;
  media::JournalDocument lastDocument;
  int renderJournalPdf(const media::JournalDocument& document, const std::string& out) override {
    ++pdfs;
    lastDocument = document;
    std::string text = "%PDF-fake\n" + media::journalDocumentJson(document).dump() + "\n";
    for (const auto& s : document.sections) {
      for (const auto& e : s.entries) {
        for (const auto& image : e.images) text += "[image " + system::readFile(image) + "]\n";
      }
    }
    system::writeFileAtomic(out, text, 0640);
    return 1;
  }
};

}  // namespace nestbox::testing
