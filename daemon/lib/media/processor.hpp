#pragma once
// Turning an uploaded file into what the box keeps and serves, with libvips (images, PDF
// pages) and FFmpeg's libraries (videos). Behind an interface so domain tests can use a fake.
//
// Privacy of the file itself (PRODUCT.md rule 4, issue 5): every stored image has its
// orientation applied and then all EXIF, XMP, IPTC and comment data removed (location and
// device included); videos are remuxed, never re-encoded, without container or stream
// metadata (location included). Originals stay on the box.
//
// Paths given as outputs are written in place (not atomically); the caller writes to a
// temporary name, fsyncs and renames.

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/json_input.hpp"
#include "media/sniff.hpp"

namespace nestbox::media {

struct Limits {
  int64_t maxPixels = 100'000'000;  // decompression bombs: width × height of an image or video frame
  int64_t maxDimension = 20'000;    // longest side, pixels
  int64_t maxDurationMs = 30LL * 60 * 1000;
  int64_t maxPdfPages = 200;
};

// Why a file is refused. The message is shown to people as it is.
struct MediaError : std::runtime_error {
  enum class Kind {
    unsupported,  // 415: not an accepted type after all (e.g. an MP4 with no video stream, an unknown codec)
    tooLarge,     // 422: over a pixel, dimension, duration or page limit
    corrupt,      // 422: cannot be read
  };
  MediaError(Kind kind, const std::string& message) : std::runtime_error(message), kind(kind) {}
  Kind kind;
};

struct Probe {
  int64_t width = 0;   // after orientation (a portrait photo is taller than wide)
  int64_t height = 0;
  std::optional<int64_t> durationMs;  // videos
};

struct StoredOriginal {
  std::string mime;  // HEIF is stored as JPEG (browsers other than Safari cannot show HEIF)
  Probe probe;       // of the stored file
};

// A rectangle to obscure, in pixels of the stored original.
// An area of a photo to hide, in the stored image's pixels. `pixelate` is a staff member's
// explicit choice for something that is not a person (a name on a peg, a car's plate): a
// mosaic keeps its shape and colours, which is why a person is always covered instead.
struct Region {
  int64_t x = 0, y = 0, width = 0, height = 0;
  bool pixelate = false;
};

// The colour a covered area is filled with: fixed, so it carries nothing of the picture
// (an average would tell a child's clothing colour).
inline constexpr int kCoverGrey = 128;

// A child's journal to print (issue 20): text already in words, photos as JPEG files (display
// copies and video posters the exporter may have). Laid out on A4 pages, entries in the order
// given, each section starting with its heading.
struct JournalDocument {
  std::string title;     // "Ada Lovelace — learning journal"
  std::string subtitle;  // the setting, and when it was made
  struct Entry {
    std::string heading;  // the date, in words
    std::string title;
    std::string body;
    std::string nextSteps;
    std::string areas;   // curriculum, in words
    std::string byline;  // who recorded it
    std::vector<std::string> images;    // JPEG files
    std::vector<std::string> comments;  // "Name: text", oldest first
  };
  struct Section {
    std::string heading;  // "December 2026"
    std::vector<Entry> entries;
  };
  std::vector<Section> sections;
};

class MediaProcessor {
 public:
  virtual ~MediaProcessor() = default;

  // Reads headers only (cheap; safe on a bomb): dimensions and duration. Throws MediaError
  // when the file cannot be read or is over a limit.
  virtual Probe probe(const std::string& path, Format format) = 0;

  // Writes the privacy-safe stored original of `in` to `out` (see above). PDFs are copied.
  virtual StoredOriginal storeOriginal(const std::string& in, Format format, const std::string& out) = 0;

  // From a stored original: a thumbnail (longest side 400 px) and a display copy (longest
  // side 1600 px, never enlarged), both JPEG without metadata. Images: scaled; videos: a
  // poster frame (the first decodable frame); PDFs: the first page. Throws MediaError.
  virtual void makeDerivatives(const std::string& stored, const std::string& mime, const std::string& thumbnailOut,
                               const std::string& displayOut) = 0;

  // A copy of a stored image in which every region's pixels are replaced (not an overlay):
  // filled with kCoverGrey, or — a region marked `pixelate` — averaged in blocks and blurred.
  // Same size and format family, without metadata. The caller adds any margin around a
  // person; a PNG's regions are filled exactly as given (clipped to the picture), a JPEG's
  // widened to the 16-px blocks its encoder works in.
  virtual StoredOriginal redact(const std::string& stored, const std::string& mime, const std::vector<Region>& regions,
                                const std::string& out) = 0;

  // Writes `document` as a PDF to `out` (cairo and pango); photos are embedded as the JPEG
  // bytes they are, never re-encoded. An image that cannot be read is left out. Returns the
  // number of pages.
  virtual int renderJournalPdf(const JournalDocument& document, const std::string& out) = 0;
};

// JournalDocument as JSON and back: how the daemon hands it to the media process.
Json journalDocumentJson(const JournalDocument& document);
JournalDocument journalDocumentFrom(const Json& json);

// The real processor. Call once per process before use from several threads.
std::unique_ptr<MediaProcessor> makeMediaProcessor(const Limits& limits);

}  // namespace nestbox::media
