#include "system/clock_sync.hpp"

#include "system/files.hpp"

namespace nestbox::system {

bool FileClockSync::synchronised() const { return syncedFile_.empty() || fileExists(syncedFile_); }

void FileClockSync::requestTime(int64_t unixSeconds) {
  writeFileAtomic(requestFile_, std::to_string(unixSeconds) + "\n", 0640);
}

}  // namespace nestbox::system
