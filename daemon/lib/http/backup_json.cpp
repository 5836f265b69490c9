#include "http/backup_json.hpp"

#include <algorithm>

#include "system/clock.hpp"

namespace nestbox::http {
namespace {

Json nullIfEmpty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json runJson(const std::optional<domain::BackupRun>& r) {
  if (!r) return nullptr;
  return {{"finished_at", system::formatTimestamp(r->finishedAt)}, {"ok", r->ok}, {"duration_s", r->durationSeconds},
          {"snapshot", r->snapshot}, {"bytes_added", r->bytesAdded}, {"bytes_total", r->bytesTotal},
          {"snapshots", r->snapshots}, {"error", nullIfEmpty(r->error)}, {"error_code", nullIfEmpty(r->errorCode)}};
}

Json checkJson(const std::optional<domain::BackupCheck>& c) {
  if (!c) return nullptr;
  return {{"finished_at", system::formatTimestamp(c->finishedAt)}, {"kind", c->kind}, {"ok", c->ok},
          {"subset_percent", c->subsetPercent}, {"sample", c->sample}, {"error", nullIfEmpty(c->error)}};
}

}  // namespace

Json backupOverviewJson(const domain::BackupOverview& o) {
  Json disk = nullptr;
  if (o.lastGood && o.lastGood->sizeBytes > 0) {
    disk = {{"size_bytes", o.lastGood->sizeBytes}, {"free_bytes", o.lastGood->freeBytes}};
  }
  return {{"state", o.state},
          {"last", runJson(o.last)},
          {"last_good", runJson(o.lastGood)},
          {"last_check", checkJson(o.lastWeeklyCheck)},
          {"last_test_restore", checkJson(o.lastTestRestore)},
          {"last_verification", checkJson(o.lastCheck)},
          {"disk", disk}};
}

Json backupStatusJson(const domain::BackupStatus& s) {
  Json out = backupOverviewJson(s.overview);
  out["configured"] = s.configured;
  out["target"] = s.target ? (s.target->kind == "usb" ? Json{{"kind", "usb"}}
                                                      : Json{{"kind", s.target->kind}, {"path", s.target->path}})
                           : Json(nullptr);
  out["schedule"] = {{"time", s.time}, {"time_zone", s.timeZone}};
  out["next_at"] = s.nextAt ? Json(system::formatTimestamp(*s.nextAt)) : Json(nullptr);
  out["pending"] = s.pending ? agentReplyJson(*s.pending) : Json(nullptr);
  return out;
}

Json agentReplyJson(const system::AgentReply& r) {
  Json result = r.state == "done" ? r.result : Json(nullptr);
  // restic's own snapshot list, narrowed to what a person chooses by, newest first.
  if (r.op == "snapshots" && result.is_object() && result.contains("snapshots") && result.at("snapshots").is_array()) {
    Json list = Json::array();
    for (const auto& s : result.at("snapshots")) {
      if (!s.is_object()) continue;
      list.push_back({{"id", s.value("id", "")}, {"short_id", s.value("short_id", "")}, {"time", s.value("time", "")}});
    }
    std::sort(list.begin(), list.end(), [](const Json& a, const Json& b) {
      return a.at("time").get<std::string>() > b.at("time").get<std::string>();
    });
    result = {{"snapshots", list}};
  }
  Json out = {{"id", r.id},
              {"op", r.op},
              {"state", r.state},
              {"result", result},
              {"error", r.state == "failed" ? Json{{"code", r.errorCode.empty() ? "failed" : r.errorCode},
                                                   {"message", r.errorMessage.empty()
                                                                   ? "The backup service failed; see its log."
                                                                   : r.errorMessage}}
                                            : Json(nullptr)}};
  if (r.updatedAt > 0) out["updated_at"] = system::formatTimestamp(r.updatedAt);
  return out;
}

}  // namespace nestbox::http
