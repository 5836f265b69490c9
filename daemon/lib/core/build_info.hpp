#pragma once
#include <cstdint>

// What this binary was built from, fixed when CMake configures the build
// (daemon/CMakeLists.txt, scripts/lib/build-id).
namespace nestbox::build {

// The commit the sources came from: 12 hex digits, with "+modified" when tracked files
// differed from it; "unknown" outside a git checkout.
const char* commit();

// The commit's time in Unix seconds (SOURCE_DATE_EPOCH when set): nothing this binary does
// can have happened before it, so it is the daemon's floor for the clock by default.
int64_t time();

}  // namespace nestbox::build
