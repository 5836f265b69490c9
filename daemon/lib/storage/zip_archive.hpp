#pragma once
// Writing a zip file (issue 20's exports) with Debian's libzip: Zip64 when it is large,
// members copied from files in bounded pieces (a 2 GB export never sits in memory), photos and
// videos stored as they are (they are compressed already; a phone can also seek in them),
// text deflated. Crash-safe: written under a temporary name, fsynced, then renamed.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nestbox::storage {

struct ZipMember {
  std::string name;        // path inside the zip, with '/' between folders
  std::string sourcePath;  // a file to copy; or, when empty, `content`
  std::string content;
  bool compress = false;   // deflate (text); otherwise stored
  int64_t modifiedAt = 0;  // Unix time shown for the member
};

struct ZipCancelled : std::runtime_error {
  ZipCancelled() : std::runtime_error("the zip was cancelled") {}
};

struct ZipCallbacks {
  std::function<void(double)> progress;  // 0..1, now and then
  std::function<bool()> cancelled;       // true: stop, remove what was written, throw ZipCancelled
};

// Writes `members` to `out`; returns its size. Throws std::runtime_error (a source that cannot
// be read, a full disk) or ZipCancelled; `out` then does not exist.
int64_t writeZip(const std::string& out, const std::vector<ZipMember>& members, const ZipCallbacks& callbacks = {});

}  // namespace nestbox::storage
