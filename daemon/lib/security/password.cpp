#include "security/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <iterator>
#include <cctype>
#include <stdexcept>
#include <string_view>

#include "core/text.hpp"

namespace nestbox::security {
namespace {

constexpr std::string_view kCommonPasswords[] = {
#include "security/common_passwords.inc"
};

bool isCommon(const std::string& password) {
  std::string candidate = asciiLower(password);
  auto listed = [](const std::string& s) {
    return std::find(std::begin(kCommonPasswords), std::end(kCommonPasswords), s) != std::end(kCommonPasswords);
  };
  if (listed(candidate)) return true;
  // "Password123!" and "password2026" are the same guess as "password".
  while (!candidate.empty() && !std::isalpha(static_cast<unsigned char>(candidate.back()))) {
    candidate.pop_back();
  }
  return candidate.size() >= 4 && listed(candidate);
}

}  // namespace

PasswordHasher::PasswordHasher(HashParameters params) : params_(params) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string PasswordHasher::hash(const std::string& secret) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), params_.opsLimit,
                            static_cast<size_t>(params_.memLimitKiB * 1024),
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return out;
}

bool PasswordHasher::verify(const std::string& storedHash, const std::string& secret) const {
  return crypto_pwhash_str_verify(storedHash.c_str(), secret.data(), secret.size()) == 0;
}

bool PasswordHasher::needsRehash(const std::string& storedHash) const {
  return crypto_pwhash_str_needs_rehash(storedHash.c_str(), params_.opsLimit,
                                        static_cast<size_t>(params_.memLimitKiB * 1024)) != 0;
}

void PasswordHasher::verifyDummy(const std::string& secret) const {
  std::call_once(dummyOnce_, [this] { dummyHash_ = hash("nestbox-dummy-password-for-timing"); });
  (void)verify(dummyHash_, secret);
}

std::optional<std::string> checkPassword(const std::string& password, const PasswordRules& rules,
                                         std::initializer_list<std::string> context) {
  std::size_t codepoints = 0;
  for (unsigned char c : password) codepoints += (c & 0xC0) != 0x80;
  if (codepoints < kMinPasswordLength) {
    return "Use at least " + std::to_string(kMinPasswordLength) + " characters.";
  }
  if (password.size() > kMaxPasswordLength) {
    return "Use at most " + std::to_string(kMaxPasswordLength) + " characters.";
  }
  if (isCommon(password)) {
    return "This password is too common and easy to guess. Try a short sentence instead.";
  }
  const std::string lowered = asciiLower(password);
  for (const auto& word : context) {
    const std::string w = asciiLower(word);
    if (w.size() >= 4 && lowered.find(w) != std::string::npos) {
      return "The password must not contain your username, your name or the setting's name.";
    }
  }
  if (rules.requireMixed) {
    bool upper = false, lowerCase = false, digit = false;
    for (unsigned char c : password) {
      upper |= std::isupper(c) != 0;
      lowerCase |= std::islower(c) != 0;
      digit |= std::isdigit(c) != 0;
    }
    if (!(upper && lowerCase && digit)) {
      return "This setting requires an upper-case letter, a lower-case letter and a digit.";
    }
  }
  return std::nullopt;
}

std::optional<std::string> checkPin(const std::string& pin) {
  if (pin.size() < 4 || pin.size() > 8 ||
      !std::all_of(pin.begin(), pin.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return "A PIN is 4 to 8 digits.";
  }
  bool same = true, up = true, down = true;
  for (std::size_t i = 1; i < pin.size(); ++i) {
    same &= pin[i] == pin[0];
    up &= pin[i] == pin[i - 1] + 1;
    down &= pin[i] == pin[i - 1] - 1;
  }
  if (same || up || down) return "That PIN is too easy to guess; avoid repeats and runs like 1234.";
  return std::nullopt;
}

}  // namespace nestbox::security
