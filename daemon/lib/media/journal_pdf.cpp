#include "media/journal_pdf.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

namespace nestbox::media {
namespace {

constexpr double kPageWidth = 595.28;  // A4, points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 50;
constexpr double kTextWidth = kPageWidth - 2 * kMargin;
constexpr double kMaxImageHeight = 330;
constexpr long kMaxJpegBytes = 32L << 20;
// Display copies and posters are at most 1600 px a side; anything larger is left out.
constexpr int kMaxImageSide = 2048;

struct Jpeg {
  std::string bytes;
  int width = 0;
  int height = 0;
};

// The size from a JPEG's start-of-frame marker; nothing for anything that is not a JPEG.
std::optional<Jpeg> readJpeg(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Jpeg j;
  j.bytes.assign(std::istreambuf_iterator<char>(in), {});
  const auto& b = j.bytes;
  if (b.size() < 4 || b.size() > static_cast<std::size_t>(kMaxJpegBytes)) return std::nullopt;
  if (static_cast<unsigned char>(b[0]) != 0xFF || static_cast<unsigned char>(b[1]) != 0xD8) return std::nullopt;
  std::size_t i = 2;
  while (i + 9 < b.size()) {
    if (static_cast<unsigned char>(b[i]) != 0xFF) return std::nullopt;
    const unsigned marker = static_cast<unsigned char>(b[i + 1]);
    const std::size_t length = (static_cast<unsigned char>(b[i + 2]) << 8) | static_cast<unsigned char>(b[i + 3]);
    // SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      j.height = (static_cast<unsigned char>(b[i + 5]) << 8) | static_cast<unsigned char>(b[i + 6]);
      j.width = (static_cast<unsigned char>(b[i + 7]) << 8) | static_cast<unsigned char>(b[i + 8]);
      if (j.width < 1 || j.height < 1 || j.width > kMaxImageSide || j.height > kMaxImageSide) return std::nullopt;
      return j;
    }
    i += 2 + length;
  }
  return std::nullopt;
}

class Writer {
 public:
  explicit Writer(const std::string& out)
      : surface_(cairo_pdf_surface_create(out.c_str(), kPageWidth, kPageHeight)), cr_(cairo_create(surface_)) {
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cannot write " + out);
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "Nestbox");
  }
  ~Writer() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }

  void title(const std::string& title, const std::string& subtitle) {
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
    y_ = kPageHeight / 3;
    text(title, "DejaVu Sans Bold 26");
    y_ += 12;
    text(subtitle, "DejaVu Sans 13", 0.35);
    newPage();
  }

  void section(const std::string& heading) {
    if (y_ > kMargin) newPage();
    text(heading, "DejaVu Sans Bold 20");
    y_ += 10;
  }

  void entry(const JournalDocument::Entry& e) {
    if (y_ > kPageHeight - kMargin - 120) newPage();  // a heading never ends a page
    cairo_set_source_rgb(cr_, 0.8, 0.8, 0.8);
    cairo_rectangle(cr_, kMargin, y_, kTextWidth, 0.7);
    cairo_fill(cr_);
    y_ += 8;
    text(e.heading, "DejaVu Sans 10", 0.35);
    if (!e.title.empty()) text(e.title, "DejaVu Sans Bold 14");
    if (!e.byline.empty()) text(e.byline, "DejaVu Sans 9", 0.35);
    y_ += 4;
    if (!e.body.empty()) text(e.body, "DejaVu Sans 11");
    for (const auto& path : e.images) image(path);
    if (!e.nextSteps.empty()) text("Next steps: " + e.nextSteps, "DejaVu Sans 10.5");
    if (!e.areas.empty()) text("Learning: " + e.areas, "DejaVu Sans 9.5", 0.3);
    for (const auto& c : e.comments) text(c, "DejaVu Sans Oblique 9.5", 0.25);
    y_ += 14;
  }

  int finish() {
    cairo_show_page(cr_);
    ++pages_;
    cairo_surface_finish(surface_);
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("the PDF could not be written");
    return pages_;
  }

 private:
  void newPage() {
    cairo_show_page(cr_);
    ++pages_;
    y_ = kMargin;
  }

  // A paragraph, wrapped to the text width; it continues on the next page line by line.
  void text(const std::string& s, const char* font, double grey = 0.1) {
    if (s.empty()) return;
    PangoLayout* layout = pango_cairo_create_layout(cr_);
    PangoFontDescription* description = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout, description);
    pango_font_description_free(description);
    pango_layout_set_width(layout, static_cast<int>(kTextWidth * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout, s.c_str(), -1);  // plain text: no markup is interpreted
    PangoLayoutIter* iter = pango_layout_get_iter(layout);
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double height = static_cast<double>(logical.height) / PANGO_SCALE;
      if (y_ + height > kPageHeight - kMargin) newPage();
      const double baseline = static_cast<double>(pango_layout_iter_get_baseline(iter) - logical.y) / PANGO_SCALE;
      cairo_set_source_rgb(cr_, grey, grey, grey);
      cairo_move_to(cr_, kMargin + static_cast<double>(logical.x) / PANGO_SCALE, y_ + baseline);
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(iter));
      y_ += height;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    g_object_unref(layout);
    y_ += 3;
  }

  void image(const std::string& path) {
    auto jpeg = readJpeg(path);
    if (!jpeg) return;
    const double scale = std::min({kTextWidth / jpeg->width, kMaxImageHeight / jpeg->height, 1.0});
    const double h = jpeg->height * scale;
    if (y_ + h > kPageHeight - kMargin) newPage();
    // The surface's pixels are never drawn in a PDF: cairo embeds the JPEG bytes themselves. So
    // every image surface shares one blank buffer, alive until the document is finished
    // (cairo keeps a reference to each source until then), rather than 8 MB made per photo.
    const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, jpeg->width);
    cairo_surface_t* surface = cairo_image_surface_create_for_data(blank_.data(), CAIRO_FORMAT_RGB24, jpeg->width,
                                                                   jpeg->height, stride);
    auto* data = static_cast<unsigned char*>(std::malloc(jpeg->bytes.size()));
    if (!data) {
      cairo_surface_destroy(surface);
      return;
    }
    std::memcpy(data, jpeg->bytes.data(), jpeg->bytes.size());
    cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, data, jpeg->bytes.size(), std::free, data);
    cairo_save(cr_);
    cairo_translate(cr_, kMargin, y_ + 4);
    cairo_scale(cr_, scale, scale);
    cairo_set_source_surface(cr_, surface, 0, 0);
    cairo_paint(cr_);
    cairo_restore(cr_);
    cairo_surface_destroy(surface);
    y_ += h + 10;
  }

  std::vector<unsigned char> blank_ =
      std::vector<unsigned char>(static_cast<std::size_t>(kMaxImageSide) * kMaxImageSide * 4);
  cairo_surface_t* surface_;
  cairo_t* cr_;
  double y_ = kMargin;
  int pages_ = 0;
};

}  // namespace

int writeJournalPdf(const JournalDocument& document, const std::string& out) {
  Writer writer(out);
  writer.title(document.title, document.subtitle);
  for (const auto& section : document.sections) {
    writer.section(section.heading);
    for (const auto& entry : section.entries) writer.entry(entry);
  }
  return writer.finish();
}

}  // namespace nestbox::media
