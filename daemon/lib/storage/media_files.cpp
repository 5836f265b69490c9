#include "storage/media_files.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "system/files.hpp"
#include "system/random.hpp"

namespace nestbox::storage {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

std::string shard(const std::string& sha256) { return sha256.substr(0, 2); }

bool isHexHash(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void renameDurably(const std::string& from, const std::string& to) {
  syncPath(from);
  if (::rename(from.c_str(), to.c_str()) != 0) fail("cannot rename onto", to);
  syncPath(fs::path(to).parent_path().string());
}

std::vector<std::string> namesIn(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) out.push_back(entry.path().filename().string());
  return out;
}

}  // namespace

void syncPath(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail("cannot fsync", path);
}

std::string sha256OfFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<unsigned char> buffer(1 << 16);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      fail("cannot read", path);
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  return system::toHex(digest, size);
}

MediaFiles::MediaFiles(std::string root) : root_(std::move(root)) {
  for (const char* dir : {"", "/uploads", "/incoming", "/objects", "/derived", "/tmp", "/exports"}) {
    system::ensureDirectory(root_ + dir, 0750);
  }
}

std::string MediaFiles::partPath(const std::string& id) const { return root_ + "/uploads/" + id + ".part"; }
std::string MediaFiles::exportPath(const std::string& id) const { return root_ + "/" + exportRelative(id); }
std::string MediaFiles::exportRelative(const std::string& id) const { return "exports/" + id + ".zip"; }
std::string MediaFiles::incomingPath(const std::string& id) const { return root_ + "/incoming/" + id; }
std::string MediaFiles::objectRelative(const std::string& sha) const { return "objects/" + shard(sha) + "/" + sha; }
std::string MediaFiles::derivedRelative(const std::string& sha, const std::string& variant) const {
  return "derived/" + shard(sha) + "/" + sha + "." + variant + ".jpg";
}
std::string MediaFiles::objectPath(const std::string& sha) const { return root_ + "/" + objectRelative(sha); }
std::string MediaFiles::derivedPath(const std::string& sha, const std::string& variant) const {
  return root_ + "/" + derivedRelative(sha, variant);
}

std::string MediaFiles::tempPath(const std::string& hint) const {
  static std::atomic<uint64_t> counter{0};
  return root_ + "/tmp/" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" + hint;
}

std::string MediaFiles::commitObject(const std::string& tempFile) {
  const std::string sha = sha256OfFile(tempFile);
  const std::string target = objectPath(sha);
  system::ensureDirectory(fs::path(target).parent_path().string(), 0750);
  if (system::fileExists(target)) {
    system::removeFileIfExists(tempFile);  // the same bytes are already stored
  } else {
    renameDurably(tempFile, target);
  }
  return sha;
}

void MediaFiles::commitDerived(const std::string& tempFile, const std::string& sha, const std::string& variant) {
  const std::string target = derivedPath(sha, variant);
  system::ensureDirectory(fs::path(target).parent_path().string(), 0750);
  renameDurably(tempFile, target);
}

void MediaFiles::moveToIncoming(const std::string& uploadId, const std::string& mediaId) {
  renameDurably(partPath(uploadId), incomingPath(mediaId));
}

void MediaFiles::removeObject(const std::string& sha) {
  if (!isHexHash(sha)) return;
  system::removeFileIfExists(objectPath(sha));
  for (const char* variant : {"thumb", "display"}) system::removeFileIfExists(derivedPath(sha, variant));
}

std::vector<std::string> MediaFiles::objectHashes() const {
  std::vector<std::string> out;
  for (const auto& dir : namesIn(root_ + "/objects")) {
    for (const auto& name : namesIn(root_ + "/objects/" + dir)) out.push_back(name);
  }
  return out;
}

std::vector<std::string> MediaFiles::derivedFiles() const {
  std::vector<std::string> out;
  for (const auto& dir : namesIn(root_ + "/derived")) {
    for (const auto& name : namesIn(root_ + "/derived/" + dir)) out.push_back(root_ + "/derived/" + dir + "/" + name);
  }
  return out;
}

std::vector<std::string> MediaFiles::partIds() const {
  std::vector<std::string> out;
  for (const auto& name : namesIn(root_ + "/uploads")) {
    if (name.size() > 5 && name.ends_with(".part")) out.push_back(name.substr(0, name.size() - 5));
  }
  return out;
}

std::vector<std::string> MediaFiles::incomingIds() const { return namesIn(root_ + "/incoming"); }

void MediaFiles::clearTemp() {
  for (const auto& name : namesIn(root_ + "/tmp")) system::removeFileIfExists(root_ + "/tmp/" + name);
}

}  // namespace nestbox::storage
