// Thumbnail (400 px) and display copy (1600 px) of a 12 MP JPEG made by nestboxd's media
// processor, next to libvips' own command-line tool making the same two sizes in the same run.
//   bench_thumbnail PHOTO.jpg [rounds]
// (tests/bench/run makes a 4000 x 3000 photo with ffmpeg and passes it.)

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "media/processor.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_thumbnail PHOTO.jpg [rounds]\n");
    return 2;
  }
  const std::string photo = argv[1];
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 10;
  const auto dir = std::filesystem::temp_directory_path() / "nestbox-bench-thumbnail";
  std::filesystem::create_directories(dir);
  const std::string thumb = (dir / "thumb.jpg").string(), display = (dir / "display.jpg").string();
  auto processor = nestbox::media::makeMediaProcessor({});
  using Clock = std::chrono::steady_clock;

  processor->makeDerivatives(photo, "image/jpeg", thumb, display);  // warm-up
  auto start = Clock::now();
  for (int i = 0; i < rounds; ++i) processor->makeDerivatives(photo, "image/jpeg", thumb, display);
  const double oursMs = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / rounds;

  const std::string cmd = "vipsthumbnail '" + photo + "' -s 1600 -o '" + (dir / "ref-display.jpg").string() +
                          "[Q=82,strip]' && vipsthumbnail '" + photo + "' -s 400 -o '" + (dir / "ref-thumb.jpg").string() +
                          "[Q=82,strip]'";
  if (std::system(cmd.c_str()) != 0) return 1;  // warm-up
  start = Clock::now();
  for (int i = 0; i < rounds; ++i) {
    if (std::system(cmd.c_str()) != 0) return 1;
  }
  const double refMs = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / rounds;
  std::printf("12 MP JPEG -> 400 px + 1600 px: nestboxd %.0f ms; vipsthumbnail (same sizes) %.0f ms; ratio %.2fx "
              "(target <= 1.2)\n", oursMs, refMs, oursMs / refMs);
  std::filesystem::remove_all(dir);
  return 0;
}
