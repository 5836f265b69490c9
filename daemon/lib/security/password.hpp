#pragma once
// Password and PIN hashing (argon2id, libsodium) and the setting's password rules.
//
// Parameters: 3 passes over 64 MiB by default. On a Raspberry Pi 4 (Cortex-A72, 1.5 GHz) this
// costs roughly 0.3-0.5 s per verification, enough to make offline guessing expensive while a
// sign-in still feels instant; 64 MiB at a time keeps 4 concurrent sign-ins inside 256 MiB.
// The figure measured on the build machine is in tests/bench (bench_password). Each hash string
// records its own parameters, so old hashes keep verifying when the parameters change, and
// needsRehash() tells the caller to upgrade them at the next successful sign-in.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace nestbox::security {

struct HashParameters {
  uint64_t opsLimit = 3;
  uint64_t memLimitKiB = 64 * 1024;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(HashParameters params = {});
  std::string hash(const std::string& secret) const;
  bool verify(const std::string& storedHash, const std::string& secret) const;
  bool needsRehash(const std::string& storedHash) const;
  // Spends the same time as a real verification; used when the account does not exist,
  // so response time does not reveal which usernames are real.
  void verifyDummy(const std::string& secret) const;
  const HashParameters& parameters() const { return params_; }

 private:
  HashParameters params_;
  // Made on first use, not at start: hashing costs a noticeable part of a second on a Pi.
  mutable std::once_flag dummyOnce_;
  mutable std::string dummyHash_;
};

struct PasswordRules {
  bool requireMixed = false;  // upper case, lower case and a digit (policy 002)
};

constexpr std::size_t kMinPasswordLength = 10;
constexpr std::size_t kMaxPasswordLength = 128;

// Returns a message saying what is wrong, or nothing when the password is acceptable.
// `context` words (username, display name, setting name) must not make up the password.
std::optional<std::string> checkPassword(const std::string& password, const PasswordRules& rules,
                                         std::initializer_list<std::string> context = {});

// Staff PINs: 4 to 8 digits, not all one digit, not a straight run like 1234 or 9876.
std::optional<std::string> checkPin(const std::string& pin);

}  // namespace nestbox::security
