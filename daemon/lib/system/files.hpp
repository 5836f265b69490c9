#pragma once
// Small, crash-safe file helpers. Every write that must survive a power cut goes through
// writeFileAtomic: the file either has the old content or the new, never half of it.

#include <string>
#include <sys/types.h>

namespace nestbox::system {

// Creates the directory (and parents) if missing and sets its mode; throws on failure.
void ensureDirectory(const std::string& path, mode_t mode);
// Writes to a temporary file, fsyncs it, renames it over `path`, fsyncs the directory.
void writeFileAtomic(const std::string& path, const std::string& content, mode_t mode);
std::string readFile(const std::string& path);
bool fileExists(const std::string& path);
void removeFileIfExists(const std::string& path);
// fsync of a file (flags O_RDONLY) or a directory (O_RDONLY | O_DIRECTORY, so a rename in it
// is durable); throws naming the path.
void fsyncPath(const std::string& path, int flags);

}  // namespace nestbox::system
