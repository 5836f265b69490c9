#pragma once
// Media as JSON, shared by the journal and media parts of the API.

#include "core/json_input.hpp"
#include "domain/access_policy.hpp"
#include "storage/journal_records.hpp"

namespace nestbox::http {

// Who will see an item (the staff editor's data).
Json audienceJson(const domain::MediaAudience& audience);
// An item inside an entry: parents get the children in it that are their own (the domain
// already removed the rest); staff also see who is obscured and which copies exist.
Json entryMediaJson(const storage::MediaRecord& media, bool staff);
// An item on its own (GET /media/:id, after redaction): its state while processing.
Json mediaRecordJson(const storage::MediaRecord& media, bool staff);

}  // namespace nestbox::http
