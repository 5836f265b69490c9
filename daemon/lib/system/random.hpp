#pragma once
// Randomness behind an interface. Production uses the kernel CSPRNG (libsodium's
// randombytes); tests may use a seeded fake, never for anything that leaves the test.

#include <cstddef>
#include <cstdint>
#include <string>

namespace nestbox::system {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(unsigned char* out, std::size_t size) = 0;

  // Lower-case hex of `bytes` random bytes (2 * bytes characters).
  std::string hex(std::size_t bytes);
  // Crockford base32 (no I, L, O, U) of `bytes` random bytes, easy to read aloud and type.
  std::string base32(std::size_t bytes);
  // A number in [0, bound), bound > 0, without modulo bias.
  uint32_t uniform(uint32_t bound);
};

class SystemRandom final : public Random {
 public:
  SystemRandom();
  void fill(unsigned char* out, std::size_t size) override;
};

// Deterministic xorshift stream: for reproducible unit tests only.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed ? seed : 0x9E3779B97F4A7C15ull) {}
  void fill(unsigned char* out, std::size_t size) override;

 private:
  uint64_t state_;
};

std::string toHex(const unsigned char* data, std::size_t size);
std::string toCrockfordBase32(const unsigned char* data, std::size_t size);

}  // namespace nestbox::system
