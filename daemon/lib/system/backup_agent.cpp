#include "system/backup_agent.hpp"

#include <stdexcept>

#include "system/clock.hpp"
#include "system/files.hpp"

namespace nestbox::system {
namespace {

bool validId(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool validKey(const std::string& key) {
  if (key.empty() || key.size() > 32) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

// An op or an origin: lower-case letters and dashes.
bool validWord(const std::string& word) {
  if (word.empty() || word.size() > 32) return false;
  for (char c : word) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return true;
}

// One line of printable text: the agent reads each field with a line-based tool.
bool validValue(const std::string& value) {
  if (value.size() > 4096) return false;
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// The value of `key=` in a request's lines.
std::string lineValue(const std::string& text, const std::string& key) {
  const std::string prefix = key + "=";
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return {};
}

class SpoolBackupAgent final : public BackupAgent {
 public:
  explicit SpoolBackupAgent(std::string dir) : dir_(std::move(dir)) {}

  void submit(const AgentRequest& r) override {
    if (!validId(r.id) || !validWord(r.op) || !validWord(r.origin)) {
      throw std::invalid_argument("backup agent request: bad id, op or origin");
    }
    std::string text = "id=" + r.id + "\nop=" + r.op + "\norigin=" + r.origin + "\n";
    for (const auto& [key, value] : r.fields) {
      if (!validKey(key) || !validValue(value)) throw std::invalid_argument("backup agent request: bad field " + key);
      text += key + "=" + value + "\n";
    }
    ensureDirectory(dir_, 0750);
    ensureDirectory(dir_ + "/requests", 0700);
    // Written aside and renamed into place: the agent never reads half a request.
    writeFileAtomic(dir_ + "/requests/" + r.id + ".req", text, 0600);
  }

  std::optional<AgentReply> reply(const std::string& id) override {
    if (!validId(id)) return std::nullopt;
    const std::string answer = dir_ + "/results/" + id + ".json";
    if (fileExists(answer)) {
      try {
        if (auto parsed = parseAgentReply(readFile(answer))) return parsed;
      } catch (const std::exception&) {
        // Read while the agent replaced it: the request file tells the rest.
      }
    }
    const std::string request = dir_ + "/requests/" + id + ".req";
    if (fileExists(request)) {
      AgentReply queued;
      queued.id = id;
      try {
        const std::string text = readFile(request);
        queued.op = lineValue(text, "op");
        queued.origin = lineValue(text, "origin");
      } catch (const std::exception&) {
        // Taken by the agent meanwhile.
      }
      return queued;
    }
    return std::nullopt;
  }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<BackupAgent> makeSpoolBackupAgent(const std::string& dir) {
  return std::make_unique<SpoolBackupAgent>(dir);
}

std::optional<AgentReply> parseAgentReply(const std::string& json) {
  const Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    AgentReply r;
    r.id = j.value("id", "");
    r.op = j.value("op", "");
    r.origin = j.value("origin", "");
    r.state = j.value("state", "");
    if (j.contains("result")) r.result = j.at("result");
    if (j.contains("error") && j.at("error").is_object()) {
      r.errorCode = j.at("error").value("code", "failed");
      r.errorMessage = j.at("error").value("message", "");
    }
    r.updatedAt = parseTimestamp(j.value("updated_at", "")).value_or(0);
    if (r.state != "running" && r.state != "done" && r.state != "failed") return std::nullopt;
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace nestbox::system
