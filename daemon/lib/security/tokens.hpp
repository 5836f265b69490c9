#pragma once
// Digests and comparisons for secrets that are checked by equality (session tokens,
// one-time codes). Stored values are SHA-256 digests: a copy of the database is not a key.

#include <string>

namespace nestbox::security {

std::string sha256Hex(const std::string& data);
// HMAC-SHA-256 of `data` under `key`, lower-case hex (keyed hashes: the erasure ledger).
std::string hmacSha256Hex(const std::string& key, const std::string& data);
bool constantTimeEquals(const std::string& a, const std::string& b);
// Upper-cases and drops spaces and dashes, and maps look-alikes (O->0, I/L->1) so a code
// typed from paper ("abcd-efgh ...") compares equal to the one issued.
std::string normaliseCode(const std::string& typed);
// Groups a Crockford base32 code in fours with dashes for display: "ABCD-EFGH-JKMN-PQRS".
std::string groupCode(const std::string& code);

}  // namespace nestbox::security
