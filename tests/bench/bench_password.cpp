// Times one argon2id verification with the daemon's parameters (or those given), next to
// one SHA-256 of the same password as a same-run reference of this CPU's speed.
//   bench_password [ops] [mem_kib] [rounds]

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "security/password.hpp"
#include "security/tokens.hpp"

int main(int argc, char** argv) {
  nestbox::security::HashParameters params;
  if (argc > 1) params.opsLimit = std::strtoull(argv[1], nullptr, 10);
  if (argc > 2) params.memLimitKiB = std::strtoull(argv[2], nullptr, 10);
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
  nestbox::security::PasswordHasher hasher(params);
  const std::string password = "paper kite sunrise";
  const auto hash = hasher.hash(password);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  for (int i = 0; i < rounds; ++i) {
    if (!hasher.verify(hash, password)) return 1;
  }
  const double verifyMs = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / rounds;
  const auto refStart = Clock::now();
  const int refRounds = 100000;
  std::size_t sink = 0;
  for (int i = 0; i < refRounds; ++i) sink += nestbox::security::sha256Hex(password).size();
  const double shaUs = std::chrono::duration<double, std::micro>(Clock::now() - refStart).count() / refRounds;
  std::printf("argon2id ops=%llu mem=%llu KiB: %.1f ms per verification (%d rounds)\n",
              static_cast<unsigned long long>(params.opsLimit), static_cast<unsigned long long>(params.memLimitKiB),
              verifyMs, rounds);
  std::printf("reference SHA-256 of the same password: %.2f us; ratio %.0fx\n", shaUs, verifyMs * 1000 / shaUs);
  return sink == 0;
}
