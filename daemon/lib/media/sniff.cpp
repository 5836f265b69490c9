#include "media/sniff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace nestbox::media {
namespace {

bool startsWith(std::string_view head, std::string_view magic) { return head.substr(0, magic.size()) == magic; }

uint32_t be32(std::string_view s, std::size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) | (uint32_t(uint8_t(s[at + 2])) << 8) |
         uint32_t(uint8_t(s[at + 3]));
}

// The brands of an ISO base media file's leading `ftyp` box (major first), or none.
std::vector<std::string_view> ftypBrands(std::string_view head) {
  std::vector<std::string_view> brands;
  if (head.size() < 16 || head.substr(4, 4) != "ftyp") return brands;
  const uint32_t size = be32(head, 0);
  if (size < 16 || size > 4096) return brands;  // implausible: not a file we accept
  const std::size_t end = std::min<std::size_t>(size, head.size());
  brands.push_back(head.substr(8, 4));           // major brand; 12..16 is the minor version
  for (std::size_t at = 16; at + 4 <= end; at += 4) brands.push_back(head.substr(at, 4));
  return brands;
}

bool anyOf(const std::vector<std::string_view>& brands, std::initializer_list<std::string_view> wanted) {
  for (const auto b : brands) {
    for (const auto w : wanted) {
      if (b == w) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<Sniffed> sniff(std::string_view head) {
  if (startsWith(head, "\xFF\xD8\xFF")) return Sniffed{Format::jpeg, "image/jpeg", "image"};
  if (startsWith(head, std::string_view("\x89PNG\r\n\x1A\n", 8))) return Sniffed{Format::png, "image/png", "image"};
  if (startsWith(head, "%PDF-")) return Sniffed{Format::pdf, "application/pdf", "document"};
  if (startsWith(head, "\x1A\x45\xDF\xA3")) {
    // EBML: WebM declares its DocType within the header; other Matroska files are refused.
    const auto header = head.substr(0, std::min<std::size_t>(head.size(), 64));
    if (header.find("webm") != std::string_view::npos) return Sniffed{Format::webm, "video/webm", "video"};
    return std::nullopt;
  }
  const auto brands = ftypBrands(head);
  if (!brands.empty()) {
    // HEIF images list an image brand (often with mif1); an image brand wins over the ISO
    // brands some encoders add, unless the major brand says video.
    const bool heif = anyOf(brands, {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"});
    const bool videoMajor = anyOf({brands[0]}, {"isom", "iso2", "mp41", "mp42", "avc1", "qt  ", "M4V ", "M4VP"});
    if (heif && !videoMajor) return Sniffed{Format::heif, "image/heic", "image"};
    if (brands[0] == "qt  ") return Sniffed{Format::quicktime, "video/quicktime", "video"};
    if (anyOf(brands, {"isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "M4VP", "dash",
                       "mmp4", "MSNV", "3gp4", "3gp5"})) {
      return Sniffed{Format::mp4, "video/mp4", "video"};
    }
    return std::nullopt;
  }
  // Old QuickTime files start with a movie atom instead of ftyp.
  if (head.size() >= 8) {
    const auto atom = head.substr(4, 4);
    if (atom == "moov" || atom == "mdat" || atom == "wide" || atom == "free" || atom == "skip") {
      return Sniffed{Format::quicktime, "video/quicktime", "video"};
    }
  }
  return std::nullopt;
}

std::string extensionForMime(std::string_view mime) {
  if (mime == "image/jpeg") return "jpg";
  if (mime == "image/png") return "png";
  if (mime == "video/mp4") return "mp4";
  if (mime == "video/quicktime") return "mov";
  if (mime == "video/webm") return "webm";
  if (mime == "application/pdf") return "pdf";
  return "bin";
}

}  // namespace nestbox::media
