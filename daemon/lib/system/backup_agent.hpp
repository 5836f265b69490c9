#pragma once
// The root-run backup agent, as nestboxd sees it (issue 19). nestboxd is unprivileged and
// holds no recovery key: formatting a disk, mounting it, storing the key and running restic
// are done by `nestbox-backup agent` (systemd/nestbox-backup), started as root by
// nestbox-backup-agent.path when a request appears in the spool. A request is a file of
// `key=value` lines; the agent answers it with a JSON file and removes it. The spool lives in
// /run (tmpfs): a recovery key on its way to root is never written to the card.
//
// The agent re-checks every field; nestboxd checks them first so people get their errors at
// once. Tests swap in a fake (tests/unit/fake_backup_agent.hpp) or run the real script.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json_input.hpp"

namespace nestbox::system {

struct AgentRequest {
  std::string id;      // 32 lower-case hex characters (unguessable: it is also a capability)
  std::string op;      // disks, prepare, setup, target, test, backup, check, test-restore, snapshots, restore
  std::string origin;  // manager, schedule or setup (who may read the answer)
  // The op's fields. Keys are [a-z_]; values one line, no control characters (checked: a
  // value that breaks that throws std::invalid_argument, nothing is written).
  std::vector<std::pair<std::string, std::string>> fields;
};

struct AgentReply {
  std::string id;
  std::string op;
  std::string origin;
  std::string state = "queued";  // queued, running, done, failed
  Json result;                   // the op's answer (done), else null
  std::string errorCode;         // failed: e.g. disk_missing, wrong_key, target_full
  std::string errorMessage;      // failed: for people
  int64_t updatedAt = 0;
};

class BackupAgent {
 public:
  virtual ~BackupAgent() = default;
  // Queues the request (atomically: the agent never sees half a request). Throws
  // std::runtime_error when the spool cannot be written.
  virtual void submit(const AgentRequest& request) = 0;
  // The request's state: its answer, or "queued" while the request waits; nothing for an id
  // neither the spool nor the answers hold.
  virtual std::optional<AgentReply> reply(const std::string& id) = 0;
};

// The spool in `dir`: requests/<id>.req (mode 0600, written by nestboxd) and
// results/<id>.json (written by the agent).
std::unique_ptr<BackupAgent> makeSpoolBackupAgent(const std::string& dir);

// Parses an answer file's JSON; nothing when it is not one.
std::optional<AgentReply> parseAgentReply(const std::string& json);

}  // namespace nestbox::system
