#pragma once
// A backup agent in memory: requests are kept as sent; a test answers them (answer()) as the
// root-run agent would.

#include <map>
#include <stdexcept>
#include <vector>

#include "system/backup_agent.hpp"

namespace nestbox {

class FakeBackupAgent final : public system::BackupAgent {
 public:
  std::vector<system::AgentRequest> requests;
  std::map<std::string, system::AgentReply> replies;
  bool broken = false;  // the spool cannot be written

  void submit(const system::AgentRequest& r) override {
    if (broken) throw std::runtime_error("spool not writable");
    requests.push_back(r);
  }

  std::optional<system::AgentReply> reply(const std::string& id) override {
    if (auto it = replies.find(id); it != replies.end()) return it->second;
    for (const auto& r : requests) {
      if (r.id == id) {
        system::AgentReply queued;
        queued.id = r.id;
        queued.op = r.op;
        queued.origin = r.origin;
        return queued;
      }
    }
    return std::nullopt;
  }

  // Answers request `id` as done with `result`, or failed with `code`.
  void answer(const std::string& id, Json result, const std::string& code = {}) {
    for (const auto& r : requests) {
      if (r.id != id) continue;
      system::AgentReply a;
      a.id = r.id;
      a.op = r.op;
      a.origin = r.origin;
      a.state = code.empty() ? "done" : "failed";
      a.result = code.empty() ? std::move(result) : Json(nullptr);
      a.errorCode = code;
      a.errorMessage = code.empty() ? "" : "failed: " + code;
      replies[id] = a;
      return;
    }
    throw std::logic_error("no such request");
  }

  std::string field(const system::AgentRequest& r, const std::string& key) const {
    for (const auto& [k, v] : r.fields) {
      if (k == key) return v;
    }
    return {};
  }
};

}  // namespace nestbox
