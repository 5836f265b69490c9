#include "http/media_json.hpp"

namespace nestbox::http {
namespace {
Json optional(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }
}  // namespace

Json audienceJson(const domain::MediaAudience& a) {
  Json refused = Json::array();
  for (const auto& r : a.refused) refused.push_back({{"child_id", r.childId}, {"reason", r.reason}});
  Json obscure = Json::array();
  for (const auto& o : a.obscure) obscure.push_back({{"child_id", o.childId}, {"hidden_from", o.hiddenFrom}});
  return {{"tagged", a.tagged}, {"everyone", a.everyone}, {"seen_by", a.seenBy}, {"refused", refused},
          {"obscure", obscure}};
}

Json entryMediaJson(const storage::MediaRecord& m, bool staff) {
  Json children = Json::array();
  for (const auto& tag : m.children) children.push_back(tag.childId);
  Json out = {{"id", m.id}, {"kind", m.kind}, {"mime", m.mime}, {"state", m.state},
              {"width", optional(m.width)}, {"height", optional(m.height)},
              {"duration_ms", optional(m.durationMs)}, {"child_ids", children}};
  if (staff) {
    Json obscured = Json::array();
    for (const auto& tag : m.children) if (tag.obscured) obscured.push_back(tag.childId);
    out["obscured_child_ids"] = obscured;
    out["original_kept"] = m.sha256.has_value();
    out["redacted"] = m.redactedSha256.has_value();
    out["bytes"] = m.bytes;
    out["erased_child"] = m.erasedChild.empty() ? Json(nullptr) : Json(m.erasedChild);  // issue 21
  }
  return out;
}


Json mediaRecordJson(const storage::MediaRecord& m, bool staff) {
  Json out = {{"id", m.id}, {"kind", m.kind}, {"mime", m.mime}, {"state", m.state}, {"width", optional(m.width)},
              {"height", optional(m.height)}, {"duration_ms", optional(m.durationMs)},
              {"entry_id", m.entryId ? Json(*m.entryId) : Json(nullptr)}};
  if (staff) {
    Json children = Json::array(), obscured = Json::array();
    for (const auto& t : m.children) {
      children.push_back(t.childId);
      if (t.obscured) obscured.push_back(t.childId);
    }
    out["child_ids"] = children;
    out["obscured_child_ids"] = obscured;
    out["original_kept"] = m.sha256.has_value();
    out["redacted"] = m.redactedSha256.has_value();
    out["erased_child"] = m.erasedChild.empty() ? Json(nullptr) : Json(m.erasedChild);
  }
  return out;
}

}  // namespace nestbox::http
