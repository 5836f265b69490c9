// nestbox-media: one media job per process, started by nestboxd (see
// media/subprocess_processor.hpp). Reads only the files it is given, writes only the output
// named, prints one JSON object. Exit 0: done; 3: the file is refused (JSON says why);
// 2: bad arguments. Runs with limits on CPU time, memory and open files, and may not gain
// privileges.
//
//   nestbox-media [limits] probe FORMAT IN
//   nestbox-media [limits] store FORMAT IN OUT
//   nestbox-media [limits] derive MIME STORED THUMBNAIL DISPLAY
//   nestbox-media [limits] redact MIME STORED OUT X,Y,W,H...
//   nestbox-media [limits] pdf DOCUMENT.json OUT       (a journal to print; media/processor.hpp)
//   limits: --max-pixels N --max-dimension N --max-duration-ms N --max-pdf-pages N

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/json_input.hpp"
#include "media/processor.hpp"

namespace {

using namespace nestbox;
using namespace nestbox::media;

int usage() {
  std::fputs("usage: nestbox-media [limits] probe|store|derive|redact ...\n", stderr);
  return 2;
}

void limitResources() {
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);  // nestboxd gone: so is its job
  const auto cap = [](int resource, rlim_t value) {
    rlimit r{value, value};
    setrlimit(resource, &r);
  };
  cap(RLIMIT_CPU, 900);                      // seconds of CPU; a hung decoder is ended
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer reserves terabytes of address space for itself
  cap(RLIMIT_AS, rlim_t{3} << 30);           // address space: a 100 MP photo fits, a bomb does not
#endif
  cap(RLIMIT_NOFILE, 64);
  cap(RLIMIT_CORE, 0);                       // children's pixels never land in a core dump
}

Json probeJson(const Probe& p) {
  Json j = {{"width", p.width}, {"height", p.height}};
  if (p.durationMs) j["duration_ms"] = *p.durationMs;
  return j;
}

std::optional<Format> formatFrom(const std::string& name) {
  if (name == "jpeg") return Format::jpeg;
  if (name == "png") return Format::png;
  if (name == "heif") return Format::heif;
  if (name == "mp4") return Format::mp4;
  if (name == "quicktime") return Format::quicktime;
  if (name == "webm") return Format::webm;
  if (name == "pdf") return Format::pdf;
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  limitResources();
  std::vector<std::string> args(argv + 1, argv + argc);
  Limits limits;
  std::size_t i = 0;
  for (; i + 1 < args.size() && args[i].rfind("--", 0) == 0; i += 2) {
    const int64_t value = std::strtoll(args[i + 1].c_str(), nullptr, 10);
    if (args[i] == "--max-pixels") limits.maxPixels = value;
    else if (args[i] == "--max-dimension") limits.maxDimension = value;
    else if (args[i] == "--max-duration-ms") limits.maxDurationMs = value;
    else if (args[i] == "--max-pdf-pages") limits.maxPdfPages = value;
    else return usage();
  }
  args.erase(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(i));
  if (args.empty()) return usage();
  const std::string& command = args[0];
  try {
    auto processor = makeMediaProcessor(limits);
    Json out;
    if (command == "probe" && args.size() == 3 && formatFrom(args[1])) {
      out = probeJson(processor->probe(args[2], *formatFrom(args[1])));
    } else if (command == "store" && args.size() == 4 && formatFrom(args[1])) {
      const auto stored = processor->storeOriginal(args[2], *formatFrom(args[1]), args[3]);
      out = probeJson(stored.probe);
      out["mime"] = stored.mime;
    } else if (command == "derive" && args.size() == 5) {
      processor->makeDerivatives(args[2], args[1], args[3], args[4]);
      out = Json::object();
    } else if (command == "redact" && args.size() >= 5) {
      std::vector<Region> regions;
      for (std::size_t r = 4; r < args.size(); ++r) {
        Region region;
        int used = 0;
        if (std::sscanf(args[r].c_str(), "%" SCNd64 ",%" SCNd64 ",%" SCNd64 ",%" SCNd64 "%n", &region.x, &region.y,
                        &region.width, &region.height, &used) != 4) {
          return usage();
        }
        const std::string style = args[r].substr(static_cast<std::size_t>(used));
        if (style == ",pixelate") region.pixelate = true;
        else if (!style.empty()) return usage();
        regions.push_back(region);
      }
      const auto redacted = processor->redact(args[2], args[1], regions, args[3]);
      out = probeJson(redacted.probe);
      out["mime"] = redacted.mime;
    } else if (command == "pdf" && args.size() == 3) {
      std::ifstream in(args[1]);
      const Json document = Json::parse(in);
      out = {{"pages", processor->renderJournalPdf(journalDocumentFrom(document), args[2])}};
    } else {
      return usage();
    }
    std::puts(out.dump().c_str());
    return 0;
  } catch (const MediaError& e) {
    const char* kind = e.kind == MediaError::Kind::unsupported ? "unsupported"
                       : e.kind == MediaError::Kind::tooLarge ? "too_large"
                                                              : "corrupt";
    std::puts(Json{{"error", kind}, {"message", e.what()}}.dump().c_str());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nestbox-media: %s\n", e.what());
    std::puts(Json{{"error", "corrupt"}, {"message", "The file could not be processed; it may be damaged."}}.dump().c_str());
    return 3;
  }
}
