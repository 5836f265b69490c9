#pragma once
// What the box keeps, and for how long (issue 21; PRODUCT.md rules 6, 8 and 11): the one
// list the settings screen shows managers, next to the jobs that enforce it. Pure: built from
// the setting, so it always says what the jobs will do.

#include <string>
#include <vector>

#include "storage/records.hpp"

namespace nestbox::domain {

struct RetentionRule {
  std::string id;    // stable: exports, leaver_reading, leaver_archive, ...
  std::string what;  // what is kept
  std::string kept;  // for how long
  std::string then;  // what happens then
};

std::vector<RetentionRule> retentionRules(const storage::SettingRecord& setting);

}  // namespace nestbox::domain
