#pragma once
// The MediaProcessor nestboxd uses: every decode and encode runs in a short-lived child
// process (the `nestbox-media` program), never in the daemon. Codecs parse untrusted bytes;
// a crash, a hang or a memory blow-up there ends that child, not the daemon that holds the
// database and the sessions, and the daemon's own memory stays small. The child gets CPU,
// memory and file limits (see nestbox-media's main).

#include <chrono>
#include <memory>
#include <string>

#include "media/processor.hpp"

namespace nestbox::media {

struct WorkerOptions {
  std::string program;  // path of nestbox-media
  Limits limits;
  std::chrono::seconds timeout{600};  // a job still running then is killed
};

// The nestbox-media program installed next to the running executable.
std::string defaultWorkerProgram();

std::unique_ptr<MediaProcessor> makeSubprocessMediaProcessor(const WorkerOptions& options);

}  // namespace nestbox::media
