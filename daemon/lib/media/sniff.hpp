#pragma once
// What a file is, decided from its first bytes — never from its name or the type a client
// declares. Accepted: JPEG, PNG, HEIC/HEIF (iPad cameras), MP4 and QuickTime MOV (H.264,
// HEVC), WebM, and PDF (newsletters). Everything else is refused by the caller with 415.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nestbox::media {

enum class Format { jpeg, png, heif, mp4, quicktime, webm, pdf };

struct Sniffed {
  Format format;
  std::string mime;  // image/jpeg, image/png, image/heic, video/mp4, video/quicktime, video/webm, application/pdf
  std::string kind;  // image, video, document
};

// How many leading bytes sniff() wants to see (it decides on fewer when the file is shorter).
constexpr std::size_t kSniffBytes = 4096;

// The format of a file starting with `head`, or nullopt when it is none of the accepted ones.
std::optional<Sniffed> sniff(std::string_view head);

// The file extension (without the dot) for a stored item's type: "jpg", "png", "mp4", "mov",
// "webm", "pdf"; "bin" for anything else.
std::string extensionForMime(std::string_view mime);

}  // namespace nestbox::media
