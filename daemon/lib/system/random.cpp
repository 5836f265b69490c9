#include "system/random.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace nestbox::system {

std::string toHex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0x0f]);
  }
  return out;
}

std::string toCrockfordBase32(const unsigned char* data, std::size_t size) {
  static constexpr char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out.push_back(alphabet[(buffer >> (bits - 5)) & 31u]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (5 - bits)) & 31u]);
  return out;
}

std::string Random::hex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  fill(buf.data(), buf.size());
  return toHex(buf.data(), buf.size());
}

std::string Random::base32(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  fill(buf.data(), buf.size());
  return toCrockfordBase32(buf.data(), buf.size());
}

uint32_t Random::uniform(uint32_t bound) {
  // Rejection: values in the last, partial run of `bound` would favour small results.
  const uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
  for (;;) {
    uint32_t v = 0;
    fill(reinterpret_cast<unsigned char*>(&v), sizeof v);
    if (v < limit) return v % bound;
  }
}

SystemRandom::SystemRandom() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

void SystemRandom::fill(unsigned char* out, std::size_t size) { randombytes_buf(out, size); }

void SeededRandom::fill(unsigned char* out, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    out[i] = static_cast<unsigned char>(state_ & 0xff);
  }
}

}  // namespace nestbox::system
