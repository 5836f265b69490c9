#include "storage/snapshot.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "storage/sqlite.hpp"
#include "system/files.hpp"

namespace nestbox::storage {
namespace {

int64_t sizeOf(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

}  // namespace

int checkDatabase(const std::string& path) {
  Database db(path, Database::Role::copier);
  auto check = db.prepare("PRAGMA integrity_check");
  std::string verdict;
  while (check.step()) verdict += (verdict.empty() ? "" : "; ") + check.text(0);
  if (verdict != "ok") throw std::runtime_error("the database is damaged: " + verdict);
  auto version = db.prepare("PRAGMA user_version");
  return version.step() ? static_cast<int>(version.integer(0)) : 0;
}

DatabaseSnapshot snapshotDatabase(const std::string& dbPath, const std::string& outPath) {
  const auto started = std::chrono::steady_clock::now();
  const std::string temp = outPath + ".part";
  system::removeFileIfExists(temp);
  try {
    {
      Database source(dbPath, Database::Role::copier);
      source.prepare("VACUUM INTO ?").bind(1, temp).run();
    }
    system::fsyncPath(temp, O_RDONLY);
    DatabaseSnapshot snapshot;
    snapshot.schemaVersion = checkDatabase(temp);
    system::removeFileIfExists(temp + "-wal");
    system::removeFileIfExists(temp + "-shm");
    if (std::rename(temp.c_str(), outPath.c_str()) != 0) throw std::runtime_error("cannot rename " + temp);
    const auto slash = outPath.rfind('/');
    system::fsyncPath(slash == std::string::npos ? "." : outPath.substr(0, slash), O_RDONLY | O_DIRECTORY);
    snapshot.path = outPath;
    snapshot.bytes = sizeOf(outPath);
    snapshot.durationMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return snapshot;
  } catch (...) {
    system::removeFileIfExists(temp);
    system::removeFileIfExists(temp + "-wal");
    system::removeFileIfExists(temp + "-shm");
    throw;
  }
}

}  // namespace nestbox::storage
