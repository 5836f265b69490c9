// The real MediaProcessor: libvips for photos and PDF pages, FFmpeg's libraries for videos.
// Both are C libraries; everything they allocate is owned by a small RAII holder here.

#include <vips/vips.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#pragma GCC diagnostic ignored "-Wconversion"
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}
#pragma GCC diagnostic pop

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <tuple>
#include <utility>
#include <vector>

#include "media/journal_pdf.hpp"
#include "media/processor.hpp"

namespace nestbox::media {
namespace {

using Kind = MediaError::Kind;

// ---- libvips ------------------------------------------------------------------------------

void initVips() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("nestboxd") != 0) throw std::runtime_error("libvips failed to start");
    vips_concurrency_set(1);  // the worker pool gives parallelism; keep each job small
    vips_cache_set_max(0);    // nothing is read twice; no operation cache
  });
}

// Owns one reference to a VipsImage.
class Image {
 public:
  Image() = default;
  explicit Image(VipsImage* image) : image_(image) {}
  Image(Image&& other) noexcept : image_(std::exchange(other.image_, nullptr)) {}
  Image& operator=(Image&& other) noexcept {
    reset(std::exchange(other.image_, nullptr));
    return *this;
  }
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
  ~Image() { reset(nullptr); }

  VipsImage* get() const { return image_; }
  VipsImage** out() {
    reset(nullptr);
    return &image_;
  }
  int width() const { return vips_image_get_width(image_); }
  int height() const { return vips_image_get_height(image_); }

 private:
  void reset(VipsImage* image) {
    if (image_) g_object_unref(image_);
    image_ = image;
  }
  VipsImage* image_ = nullptr;
};

[[noreturn]] void vipsFailed(Kind kind, const std::string& message) {
  vips_error_clear();
  throw MediaError(kind, message);
}

void check(int rc, const char* what) {
  if (rc != 0) vipsFailed(Kind::corrupt, std::string("The photo could not be ") + what + ". It may be damaged.");
}

int orientationOf(VipsImage* image) {
  int orientation = 1;
  if (vips_image_get_typeof(image, VIPS_META_ORIENTATION) != 0) vips_image_get_int(image, VIPS_META_ORIENTATION, &orientation);
  return orientation;
}

void checkLimits(int64_t width, int64_t height, const Limits& limits, const char* what) {
  if (width <= 0 || height <= 0) throw MediaError(Kind::corrupt, std::string("The ") + what + " has no picture in it.");
  if (width * height > limits.maxPixels || std::max(width, height) > limits.maxDimension) {
    throw MediaError(Kind::tooLarge, std::string("This ") + what + " is too big in pixels (" + std::to_string(width) + " × " +
                                         std::to_string(height) + "; the box takes up to " +
                                         std::to_string(limits.maxPixels / 1'000'000) + " megapixels).");
  }
}

Image openImage(const std::string& path, VipsAccess access) {
  Image image(vips_image_new_from_file(path.c_str(), "access", access, "fail_on", VIPS_FAIL_ON_ERROR, nullptr));
  if (!image.get()) vipsFailed(Kind::corrupt, "The photo could not be read. It may be damaged or not really a photo.");
  return image;
}

// Pixels ready for an 8-bit sRGB JPEG: colour managed from an embedded profile if there is
// one, alpha flattened onto white.
Image forJpeg(Image image) {
  if (vips_image_get_typeof(image.get(), VIPS_META_ICC_NAME) != 0) {
    Image srgb;
    if (vips_icc_transform(image.get(), srgb.out(), "srgb", "embedded", TRUE, nullptr) == 0) {
      image = std::move(srgb);
    } else {
      vips_error_clear();  // an unusable profile: keep the pixels as they are
    }
  }
  if (vips_image_get_interpretation(image.get()) != VIPS_INTERPRETATION_sRGB &&
      vips_image_get_interpretation(image.get()) != VIPS_INTERPRETATION_B_W) {
    Image converted;
    check(vips_colourspace(image.get(), converted.out(), VIPS_INTERPRETATION_sRGB, nullptr), "converted");
    image = std::move(converted);
  }
  if (vips_image_hasalpha(image.get())) {
    Image flat;
    VipsArrayDouble* white = vips_array_double_newv(1, 255.0);
    const int rc = vips_flatten(image.get(), flat.out(), "background", white, nullptr);
    vips_area_unref(VIPS_AREA(white));
    check(rc, "converted");
    image = std::move(flat);
  }
  if (vips_image_get_format(image.get()) != VIPS_FORMAT_UCHAR) {
    Image cast;
    check(vips_cast(image.get(), cast.out(), VIPS_FORMAT_UCHAR, nullptr), "converted");
    image = std::move(cast);
  }
  return image;
}

void saveJpeg(const Image& image, const std::string& out, int quality) {
  Image ready = forJpeg(Image(static_cast<VipsImage*>(g_object_ref(image.get()))));
  check(vips_jpegsave(ready.get(), out.c_str(), "Q", quality, "strip", TRUE, "optimize_coding", TRUE, nullptr), "saved");
}

void savePng(const Image& image, const std::string& out) {
  check(vips_pngsave(image.get(), out.c_str(), "strip", TRUE, "compression", 6, nullptr), "saved");
}

void saveLike(const Image& image, const std::string& mime, const std::string& out) {
  if (mime == "image/png") {
    savePng(image, out);
  } else {
    saveJpeg(image, out, 92);
  }
}

Probe probeImage(const std::string& path, const Limits& limits) {
  initVips();
  Image image = openImage(path, VIPS_ACCESS_SEQUENTIAL);  // header only: no pixels decoded yet
  int64_t width = image.width(), height = image.height();
  if (orientationOf(image.get()) >= 5) std::swap(width, height);
  checkLimits(width, height, limits, "photo");
  return {width, height, std::nullopt};
}

void thumbnails(const Image& source, const std::string& thumbnailOut, const std::string& displayOut) {
  for (const auto& [size, out, quality] : {std::tuple{1600, displayOut, 82}, std::tuple{400, thumbnailOut, 80}}) {
    Image small;
    check(vips_thumbnail_image(source.get(), small.out(), size, "height", size, "size", VIPS_SIZE_DOWN, nullptr),
          "scaled");
    saveJpeg(small, out, quality);
  }
}

// ---- FFmpeg -------------------------------------------------------------------------------

struct InputCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
using Input = std::unique_ptr<AVFormatContext, InputCloser>;
struct CodecCloser {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameFree {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct OutputCloser {
  void operator()(AVFormatContext* c) const {
    if (c && c->pb) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};

Input openVideo(const std::string& path) {
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) {
    throw MediaError(Kind::corrupt, "The video could not be read. It may be damaged.");
  }
  Input input(raw);
  if (avformat_find_stream_info(input.get(), nullptr) < 0) {
    throw MediaError(Kind::corrupt, "The video could not be read. It may be damaged.");
  }
  return input;
}

int videoStream(AVFormatContext* input) {
  const int index = av_find_best_stream(input, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index < 0) throw MediaError(Kind::unsupported, "This file has no video in it.");
  const auto codec = input->streams[index]->codecpar->codec_id;
  if (codec != AV_CODEC_ID_H264 && codec != AV_CODEC_ID_HEVC && codec != AV_CODEC_ID_VP8 && codec != AV_CODEC_ID_VP9 &&
      codec != AV_CODEC_ID_AV1) {
    throw MediaError(Kind::unsupported, std::string("This video is recorded as ") + avcodec_get_name(codec) +
                                            ", which phones and tablets cannot all play. Record it as H.264 or HEVC.");
  }
  return index;
}

// Degrees the picture must turn to display upright, from the stream's display matrix.
int rotationOf(const AVStream* stream) {
  const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (!matrix) return 0;
  const double theta = -av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  int degrees = static_cast<int>(std::lround(theta)) % 360;
  if (degrees < 0) degrees += 360;
  return degrees;
}

Probe probeVideo(const std::string& path, const Limits& limits) {
  Input input = openVideo(path);
  const int index = videoStream(input.get());
  const AVStream* stream = input->streams[index];
  int64_t width = stream->codecpar->width, height = stream->codecpar->height;
  const int rotation = rotationOf(stream);
  if (rotation == 90 || rotation == 270) std::swap(width, height);
  checkLimits(width, height, limits, "video");
  std::optional<int64_t> durationMs;
  if (input->duration > 0) durationMs = input->duration / (AV_TIME_BASE / 1000);
  if (durationMs && *durationMs > limits.maxDurationMs) {
    throw MediaError(Kind::tooLarge, "This video is longer than the box accepts (" +
                                         std::to_string(limits.maxDurationMs / 60000) + " minutes).");
  }
  return {width, height, durationMs};
}

// Stream copy into a fresh container: codec parameters and the display matrix travel, the
// metadata dictionaries (location, device, names) do not.
void remux(const std::string& in, const std::string& out, Format format) {
  Input input = openVideo(in);
  videoStream(input.get());
  const char* container = format == Format::webm ? "webm" : "mp4";
  AVFormatContext* rawOut = nullptr;
  if (avformat_alloc_output_context2(&rawOut, nullptr, container, out.c_str()) < 0) {
    throw std::runtime_error("cannot make a video container");
  }
  std::unique_ptr<AVFormatContext, OutputCloser> output(rawOut);
  output->flags |= AVFMT_FLAG_BITEXACT;
  std::vector<int> map(input->nb_streams, -1);
  for (unsigned i = 0; i < input->nb_streams; ++i) {
    const AVStream* source = input->streams[i];
    const auto type = source->codecpar->codec_type;
    if (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO) continue;
    if (avformat_query_codec(output->oformat, source->codecpar->codec_id, FF_COMPLIANCE_NORMAL) != 1) continue;
    AVStream* target = avformat_new_stream(output.get(), nullptr);
    if (!target || avcodec_parameters_copy(target->codecpar, source->codecpar) < 0) {
      throw std::runtime_error("cannot copy a video stream");
    }
    target->codecpar->codec_tag = 0;
    if (source->codecpar->codec_id == AV_CODEC_ID_HEVC && format != Format::webm) {
      target->codecpar->codec_tag = MKTAG('h', 'v', 'c', '1');  // what Safari plays
    }
    target->time_base = source->time_base;
    std::size_t size = 0;
    if (const uint8_t* matrix = av_stream_get_side_data(source, AV_PKT_DATA_DISPLAYMATRIX, &size)) {
      uint8_t* copy = av_stream_new_side_data(target, AV_PKT_DATA_DISPLAYMATRIX, size);
      if (copy) std::memcpy(copy, matrix, size);
    }
    map[i] = target->index;
  }
  if (avio_open(&output->pb, out.c_str(), AVIO_FLAG_WRITE) < 0) throw std::runtime_error("cannot write " + out);
  AVDictionary* options = nullptr;
  if (format != Format::webm) av_dict_set(&options, "movflags", "+faststart", 0);
  av_dict_set(&options, "fflags", "+bitexact", 0);
  const int header = avformat_write_header(output.get(), &options);
  av_dict_free(&options);
  if (header < 0) throw MediaError(Kind::unsupported, "This video's streams cannot be stored as they are.");
  std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
  while (av_read_frame(input.get(), packet.get()) >= 0) {
    const int index = packet->stream_index;
    if (index < 0 || static_cast<unsigned>(index) >= map.size() || map[index] < 0) {
      av_packet_unref(packet.get());
      continue;
    }
    av_packet_rescale_ts(packet.get(), input->streams[index]->time_base, output->streams[map[index]]->time_base);
    packet->stream_index = map[index];
    packet->pos = -1;
    if (av_interleaved_write_frame(output.get(), packet.get()) < 0) {
      throw MediaError(Kind::corrupt, "The video could not be stored. It may be damaged.");
    }
  }
  if (av_write_trailer(output.get()) < 0) throw MediaError(Kind::corrupt, "The video could not be stored.");
}

// The first picture of the video, upright, as a libvips image.
Image posterFrame(const std::string& path) {
  Input input = openVideo(path);
  const int index = videoStream(input.get());
  AVStream* stream = input->streams[index];
  const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!decoder) throw MediaError(Kind::unsupported, "The box cannot decode this video to make its poster picture.");
  std::unique_ptr<AVCodecContext, CodecCloser> codec(avcodec_alloc_context3(decoder));
  avcodec_parameters_to_context(codec.get(), stream->codecpar);
  codec->thread_count = 1;
  if (avcodec_open2(codec.get(), decoder, nullptr) < 0) throw MediaError(Kind::unsupported, "The video cannot be decoded.");
  std::unique_ptr<AVPacket, PacketFree> packet(av_packet_alloc());
  std::unique_ptr<AVFrame, FrameFree> frame(av_frame_alloc());
  bool got = false, draining = false;
  while (!got) {
    if (!draining) {
      if (av_read_frame(input.get(), packet.get()) < 0) {
        draining = true;
        avcodec_send_packet(codec.get(), nullptr);
      } else if (packet->stream_index == index) {
        avcodec_send_packet(codec.get(), packet.get());
        av_packet_unref(packet.get());
      } else {
        av_packet_unref(packet.get());
        continue;
      }
    }
    const int rc = avcodec_receive_frame(codec.get(), frame.get());
    if (rc == 0) got = true;
    else if (rc == AVERROR_EOF || (draining && rc == AVERROR(EAGAIN))) break;
  }
  if (!got) throw MediaError(Kind::corrupt, "The video has no picture the box could decode.");
  const int width = frame->width, height = frame->height;
  SwsContext* scaler = sws_getContext(width, height, static_cast<AVPixelFormat>(frame->format), width, height,
                                      AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (!scaler) throw MediaError(Kind::unsupported, "The video's picture format cannot be converted.");
  std::vector<uint8_t> rgb(static_cast<std::size_t>(width) * height * 3);
  uint8_t* planes[4] = {rgb.data(), nullptr, nullptr, nullptr};
  int strides[4] = {width * 3, 0, 0, 0};
  sws_scale(scaler, frame->data, frame->linesize, 0, height, planes, strides);
  sws_freeContext(scaler);
  initVips();
  Image image(vips_image_new_from_memory_copy(rgb.data(), rgb.size(), width, height, 3, VIPS_FORMAT_UCHAR));
  if (!image.get()) vipsFailed(Kind::corrupt, "The video's poster picture could not be made.");
  const int rotation = rotationOf(stream);
  if (rotation == 90 || rotation == 180 || rotation == 270) {
    Image turned;
    const VipsAngle angle = rotation == 90 ? VIPS_ANGLE_D90 : rotation == 180 ? VIPS_ANGLE_D180 : VIPS_ANGLE_D270;
    check(vips_rot(image.get(), turned.out(), angle, nullptr), "turned");
    image = std::move(turned);
  }
  return image;
}

// ---- the processor ------------------------------------------------------------------------

bool isImage(Format f) { return f == Format::jpeg || f == Format::png || f == Format::heif; }
bool isVideo(Format f) { return f == Format::mp4 || f == Format::quicktime || f == Format::webm; }

class VipsAvProcessor final : public MediaProcessor {
 public:
  explicit VipsAvProcessor(Limits limits) : limits_(limits) {
    initVips();
    av_log_set_level(AV_LOG_ERROR);
  }

  Probe probe(const std::string& path, Format format) override {
    if (isImage(format)) return probeImage(path, limits_);
    if (isVideo(format)) return probeVideo(path, limits_);
    return probePdf(path);
  }

  StoredOriginal storeOriginal(const std::string& in, Format format, const std::string& out) override {
    if (isImage(format)) {
      probeImage(in, limits_);
      Image image = openImage(in, VIPS_ACCESS_RANDOM);
      Image upright;
      check(vips_autorot(image.get(), upright.out(), nullptr), "turned upright");
      const std::string mime = format == Format::png ? "image/png" : "image/jpeg";
      saveLike(upright, mime, out);
      return {mime, probeImage(out, limits_)};
    }
    if (isVideo(format)) {
      probeVideo(in, limits_);
      remux(in, out, format);
      return {format == Format::webm ? "video/webm" : "video/mp4", probeVideo(out, limits_)};
    }
    std::filesystem::copy_file(in, out, std::filesystem::copy_options::overwrite_existing);
    return {"application/pdf", {}};
  }

  void makeDerivatives(const std::string& stored, const std::string& mime, const std::string& thumbnailOut,
                       const std::string& displayOut) override {
    initVips();
    if (mime.rfind("video/", 0) == 0) {
      thumbnails(posterFrame(stored), thumbnailOut, displayOut);
      return;
    }
    // Images, and the first page of a PDF (libvips renders it through poppler).
    Image source(vips_image_new_from_file(stored.c_str(), "access", VIPS_ACCESS_SEQUENTIAL, nullptr));
    if (!source.get()) vipsFailed(Kind::unsupported, "No preview can be made of this file.");
    if (mime == "application/pdf") {
      Image page;
      if (vips_thumbnail(stored.c_str(), page.out(), 1600, "height", 1600, "size", VIPS_SIZE_DOWN, nullptr) != 0) {
        vipsFailed(Kind::unsupported, "No preview can be made of this document.");
      }
      thumbnails(page, thumbnailOut, displayOut);
      return;
    }
    // From the file, so JPEG shrink-on-load keeps memory small.
    for (const auto& [size, out, quality] : {std::tuple{1600, displayOut, 82}, std::tuple{400, thumbnailOut, 80}}) {
      Image small;
      check(vips_thumbnail(stored.c_str(), small.out(), size, "height", size, "size", VIPS_SIZE_DOWN, nullptr), "scaled");
      saveJpeg(small, out, quality);
    }
  }

  StoredOriginal redact(const std::string& stored, const std::string& mime, const std::vector<Region>& regions,
                        const std::string& out) override {
    initVips();
    Image image = openImage(stored, VIPS_ACCESS_RANDOM);
    const int64_t width = image.width(), height = image.height();
    struct Area {
      int x, y, w, h;
    };
    std::vector<Area> covered;
    for (const auto& r : regions) {
      const int64_t x = std::clamp<int64_t>(r.x, 0, width), y = std::clamp<int64_t>(r.y, 0, height);
      const int64_t w = std::min<int64_t>(r.width, width - x), h = std::min<int64_t>(r.height, height - y);
      if (w < 1 || h < 1) continue;
      const Area a{static_cast<int>(x), static_cast<int>(y), static_cast<int>(w), static_cast<int>(h)};
      if (!r.pixelate) {
        if (mime != "image/png") {
          // A JPEG is coded in 16-px blocks (8 px of colour, halved): a block half child, half
          // grey would ring the child's edge into the grey. Whole blocks are covered instead.
          constexpr int kBlock = 16;
          const int64_t left = x / kBlock * kBlock, top = y / kBlock * kBlock;
          const int64_t right = std::min<int64_t>(width, (x + w + kBlock - 1) / kBlock * kBlock);
          const int64_t bottom = std::min<int64_t>(height, (y + h + kBlock - 1) / kBlock * kBlock);
          covered.push_back({static_cast<int>(left), static_cast<int>(top), static_cast<int>(right - left),
                             static_cast<int>(bottom - top)});
        } else {
          covered.push_back(a);
        }
        continue;
      }
      // Pixelated (chosen for a thing, never a person): blocks of about an eighth of the region
      // (at least 8 px) averaged, enlarged back with nearest neighbour, then blurred.
      const int block = std::max(8, std::min(a.w, a.h) / 8);
      Image area, small, big, fitted, blurred, cast, merged;
      check(vips_extract_area(image.get(), area.out(), a.x, a.y, a.w, a.h, nullptr), "redacted");
      check(vips_shrink(area.get(), small.out(), std::min(block, a.w), std::min(block, a.h), nullptr), "redacted");
      check(vips_zoom(small.get(), big.out(), block, block, nullptr), "redacted");
      check(vips_embed(big.get(), fitted.out(), 0, 0, a.w, a.h, "extend", VIPS_EXTEND_COPY, nullptr), "redacted");
      check(vips_gaussblur(fitted.get(), blurred.out(), block / 2.0, nullptr), "redacted");
      check(vips_cast(blurred.get(), cast.out(), vips_image_get_format(image.get()), nullptr), "redacted");
      check(vips_insert(image.get(), cast.get(), merged.out(), a.x, a.y, nullptr), "redacted");
      image = std::move(merged);
    }
    if (!covered.empty()) {
      // Covered areas last, so no pixelated neighbour blurs anything back into them: solid
      // grey drawn into the pixels (in memory; the photo is within the limits), and with the
      // detail go the outline, the size and the colours.
      const bool wide = vips_image_get_format(image.get()) == VIPS_FORMAT_USHORT;
      std::vector<double> grey(static_cast<std::size_t>(vips_image_get_bands(image.get())),
                               wide ? kCoverGrey * 257.0 : kCoverGrey);
      if (vips_image_hasalpha(image.get())) grey.back() = wide ? 65535 : 255;
      Image drawn(vips_image_copy_memory(image.get()));
      if (!drawn.get()) vipsFailed(Kind::corrupt, "The photo could not be redacted. It may be damaged.");
      for (const auto& a : covered) {
        check(vips_draw_rect(drawn.get(), grey.data(), static_cast<int>(grey.size()), a.x, a.y, a.w, a.h, "fill", TRUE,
                             nullptr),
              "redacted");
      }
      image = std::move(drawn);
    }
    saveLike(image, mime, out);
    return {mime == "image/png" ? "image/png" : "image/jpeg", probeImage(out, limits_)};
  }

  int renderJournalPdf(const JournalDocument& document, const std::string& out) override {
    return writeJournalPdf(document, out);
  }

 private:
  Probe probePdf(const std::string& path) {
    initVips();
    Image pdf(vips_image_new_from_file(path.c_str(), "access", VIPS_ACCESS_SEQUENTIAL, nullptr));
    if (!pdf.get()) {
      vips_error_clear();
      return {};  // a PDF libvips cannot render is still stored; it just has no preview
    }
    int pages = 1;
    if (vips_image_get_typeof(pdf.get(), VIPS_META_N_PAGES) != 0) vips_image_get_int(pdf.get(), VIPS_META_N_PAGES, &pages);
    if (pages > limits_.maxPdfPages) {
      throw MediaError(Kind::tooLarge, "This document has more pages than the box accepts (" +
                                           std::to_string(limits_.maxPdfPages) + ").");
    }
    return {pdf.width(), pdf.height(), std::nullopt};
  }

  Limits limits_;
};

}  // namespace

std::unique_ptr<MediaProcessor> makeMediaProcessor(const Limits& limits) {
  return std::make_unique<VipsAvProcessor>(limits);
}

}  // namespace nestbox::media
