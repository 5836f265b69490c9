#pragma once
// Children and their consent as JSON, shared by the journal and erasure parts of the API.

#include <optional>

#include "core/json_input.hpp"
#include "domain/leaving.hpp"
#include "storage/journal_records.hpp"

namespace nestbox::http {

// Where a leaver is: null for a current child. "due" (between its day and the leavers job's
// next run) reads as archived.
Json leavingJson(const std::optional<domain::Leaving>& leaving);
// `full`: staff also get the key person and start date.
Json childJson(const storage::ChildRecord& child, bool full, const std::optional<domain::Leaving>& leaving);
Json consentJson(const storage::ConsentRecord& consent);

}  // namespace nestbox::http
