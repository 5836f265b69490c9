#include "media/subprocess_processor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "core/json_input.hpp"

extern char** environ;

namespace nestbox::media {
namespace {

const char* formatName(Format f) {
  switch (f) {
    case Format::jpeg: return "jpeg";
    case Format::png: return "png";
    case Format::heif: return "heif";
    case Format::mp4: return "mp4";
    case Format::quicktime: return "quicktime";
    case Format::webm: return "webm";
    case Format::pdf: return "pdf";
  }
  return "jpeg";
}

Probe probeFrom(const Json& j) {
  Probe p;
  p.width = j.value("width", int64_t{0});
  p.height = j.value("height", int64_t{0});
  if (j.contains("duration_ms") && j["duration_ms"].is_number_integer()) p.durationMs = j["duration_ms"].get<int64_t>();
  return p;
}

class SubprocessProcessor final : public MediaProcessor {
 public:
  explicit SubprocessProcessor(WorkerOptions options) : options_(std::move(options)) {}

  Probe probe(const std::string& path, Format format) override { return probeFrom(run({"probe", formatName(format), path})); }

  StoredOriginal storeOriginal(const std::string& in, Format format, const std::string& out) override {
    const Json j = run({"store", formatName(format), in, out});
    return {j.value("mime", std::string()), probeFrom(j)};
  }

  void makeDerivatives(const std::string& stored, const std::string& mime, const std::string& thumbnailOut,
                       const std::string& displayOut) override {
    run({"derive", mime, stored, thumbnailOut, displayOut});
  }

  StoredOriginal redact(const std::string& stored, const std::string& mime, const std::vector<Region>& regions,
                        const std::string& out) override {
    std::vector<std::string> args{"redact", mime, stored, out};
    for (const auto& r : regions) {
      args.push_back(std::to_string(r.x) + "," + std::to_string(r.y) + "," + std::to_string(r.width) + "," +
                     std::to_string(r.height) + (r.pixelate ? ",pixelate" : ""));
    }
    const Json j = run(args);
    return {j.value("mime", mime), probeFrom(j)};
  }

  int renderJournalPdf(const JournalDocument& document, const std::string& out) override {
    // The document goes as a file beside the output: it can be larger than a command line.
    const std::string manifest = out + ".json";
    {
      std::ofstream file(manifest, std::ios::trunc);
      file << journalDocumentJson(document).dump();
      if (!file.flush()) throw std::runtime_error("cannot write " + manifest);
    }
    try {
      const Json j = run({"pdf", manifest, out});
      std::filesystem::remove(manifest);
      return j.value("pages", 0);
    } catch (...) {
      std::error_code ignored;
      std::filesystem::remove(manifest, ignored);
      throw;
    }
  }

 private:
  // Runs one job; its answer is one JSON object on stdout. Exit 0: done; exit 3: a MediaError
  // ({"error": kind, "message": ...}); anything else (a crash, a limit, a timeout) is corrupt.
  Json run(std::vector<std::string> args) {
    args.insert(args.begin(), {options_.program, "--max-pixels", std::to_string(options_.limits.maxPixels),
                               "--max-dimension", std::to_string(options_.limits.maxDimension),
                               "--max-duration-ms", std::to_string(options_.limits.maxDurationMs),
                               "--max-pdf-pages", std::to_string(options_.limits.maxPdfPages)});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    // Nothing else of the daemon's reaches the child: not the database, not the listening
    // sockets (which would also keep the ports busy after the daemon died).
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // The daemon blocks its stop signals; the child must not inherit that mask.
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, options_.program.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(pipeFds[1]);
    if (rc != 0) {
      ::close(pipeFds[0]);
      throw std::runtime_error("cannot start " + options_.program + ": " + std::strerror(rc));
    }
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
    bool timedOut = false;
    char buffer[4096];
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        timedOut = true;
        break;
      }
      pollfd fd{pipeFds[0], POLLIN, 0};
      const int ready = ::poll(&fd, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
      if (ready < 0 && errno != EINTR) break;
      if (ready <= 0) continue;
      const ssize_t n = ::read(pipeFds[0], buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (output.size() < 65536) output.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(pipeFds[0]);
    if (timedOut) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timedOut) throw MediaError(MediaError::Kind::corrupt, "Processing this file took too long; it may be damaged.");
    Json answer;
    try {
      answer = Json::parse(output);
    } catch (const std::exception&) {
      answer = Json::object();
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && answer.is_object()) return answer;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3 && answer.is_object()) {
      const std::string kind = answer.value("error", std::string());
      const auto k = kind == "unsupported" ? MediaError::Kind::unsupported
                     : kind == "too_large" ? MediaError::Kind::tooLarge
                                           : MediaError::Kind::corrupt;
      throw MediaError(k, answer.value("message", std::string("The file could not be read.")));
    }
    throw MediaError(MediaError::Kind::corrupt, "The file could not be processed; it may be damaged.");
  }

  WorkerOptions options_;
};

}  // namespace

std::string defaultWorkerProgram() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::filesystem::path("/usr/sbin") : self.parent_path()).append("nestbox-media").string();
}

std::unique_ptr<MediaProcessor> makeSubprocessMediaProcessor(const WorkerOptions& options) {
  return std::make_unique<SubprocessProcessor>(options);
}

}  // namespace nestbox::media
