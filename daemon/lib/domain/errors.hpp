#pragma once
// Errors the domain layer reports to its callers. The HTTP layer maps each kind to one
// status code; `message` is shown to people as it is, so it says what to do next.

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace nestbox::domain {

enum class ErrorKind {
  invalid,          // 400/422: the input breaks a rule; `field` names it
  unauthenticated,  // 401: no valid session, or wrong credentials
  forbidden,        // 403: signed in, but not allowed
  notFound,         // 404: no such thing, or not visible to the caller
  conflict,         // 409: clashes with existing state (username taken)
  gone,             // 410: a one-time thing already used (setup)
  throttled,        // 429: too many attempts; `retryAfterSeconds` says how long
  passwordChangeRequired,  // 403: the password must be changed before anything else
  tooLarge,         // 413: more bytes than allowed
  unsupportedType,  // 415: a file type (sniffed from content) that is not accepted
  unprocessable,    // 422: well-formed but refused: over a pixel limit, unreadable, no consent
  checksumMismatch, // 460 (tus): the bytes sent do not match their checksum
  preconditionFailed,  // 412: a protocol version the box does not speak (tus)
  insufficientStorage, // 507: the data disk would drop below the space kept for the box
};

struct DomainError : std::runtime_error {
  DomainError(ErrorKind kind, std::string code, const std::string& message, std::string field = {},
              int64_t retryAfterSeconds = 0)
      : std::runtime_error(message),
        kind(kind),
        code(std::move(code)),
        field(std::move(field)),
        retryAfterSeconds(retryAfterSeconds) {}
  ErrorKind kind;
  std::string code;   // stable machine-readable reason, e.g. "invalid_credentials"
  std::string field;  // the input field at fault, if any
  int64_t retryAfterSeconds;
  // Structured facts for the client (e.g. which children lack consent), so it never reads
  // `message`, which is for people. Null when there are none.
  nlohmann::json details;

  DomainError&& withDetails(nlohmann::json d) && {
    details = std::move(d);
    return std::move(*this);
  }
};

// The input breaks a rule: `field` names it and `message` says what to do next.
inline DomainError invalid(const std::string& field, const std::string& message, std::string code = "invalid") {
  return DomainError(ErrorKind::invalid, std::move(code), message, field);
}

}  // namespace nestbox::domain
