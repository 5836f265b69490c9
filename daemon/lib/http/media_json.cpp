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

namespace {

// For staff: how the redacted copy hides (issue 32). "mosaic": made the old way, which no
// family gets until its areas are marked again; the areas as marked, before the margin.
void addRedaction(Json& out, const storage::MediaRecord& m) {
  out["redaction"] = m.redaction.empty() ? Json(nullptr) : Json(m.redaction);
  Json areas = Json::array();
  for (const auto& a : m.redactionRegions) {
    areas.push_back({{"x", a.x}, {"y", a.y}, {"width", a.width}, {"height", a.height},
                     {"style", a.pixelate ? "pixelate" : "cover"}});
  }
  out["redaction_regions"] = areas;
}

}  // namespace

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
    addRedaction(out, m);
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
    addRedaction(out, m);
  }
  return out;
}

}  // namespace nestbox::http
