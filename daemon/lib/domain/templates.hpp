#pragma once
// Entry templates (issue 22): the wording of common entries (a "WOW moment", the two-year
// progress check) that managers keep and staff start from. A template holds no child's
// data: it is the setting's own text, so it is not part of a family's export or erasure.

#include <optional>
#include <string>
#include <vector>

#include "domain/children.hpp"
#include "domain/context.hpp"
#include "domain/settings.hpp"
#include "storage/engagement_store.hpp"

namespace nestbox::domain {

struct TemplateInput {
  std::optional<std::string> name;
  std::optional<std::string> kind;  // observation, snapshot
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> nextSteps;
  std::optional<std::vector<std::string>> aspectIds;
};

class TemplateService {
 public:
  TemplateService(Context& ctx, storage::EngagementStore& store, SettingsService& settings, ChildrenService& children)
      : ctx_(ctx), store_(store), settings_(settings), children_(children) {}

  // Staff and managers. Curriculum links outside the setting's framework are left out (a
  // template written for EYFS in a setting that later moved to CfE).
  std::vector<storage::TemplateRecord> list(const Principal& p);
  // Managers. A new template needs a name; a name is unique (conflict, name_taken).
  storage::TemplateRecord create(const Principal& p, const TemplateInput& input);
  storage::TemplateRecord update(const Principal& p, const std::string& id, const TemplateInput& input);
  void remove(const Principal& p, const std::string& id);

 private:
  void validate(const storage::TemplateRecord& t);
  storage::TemplateRecord save(const Principal& p, storage::TemplateRecord t, bool fresh);

  Context& ctx_;
  storage::EngagementStore& store_;
  SettingsService& settings_;
  ChildrenService& children_;
};

}  // namespace nestbox::domain
