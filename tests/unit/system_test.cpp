#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "fixture.hpp"
#include "system/clock.hpp"
#include "system/files.hpp"
#include "system/host.hpp"
#include "system/random.hpp"
#include "system/service_notifier.hpp"

using namespace nestbox;

TEST_CASE("random text has the promised length and alphabet") {
  system::SystemRandom random;
  const auto hex = random.hex(32);
  CHECK(hex.size() == 64);
  CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(random.hex(16) != random.hex(16));
  const auto code = random.base32(10);
  CHECK(code.size() == 16);
  CHECK(code.find_first_of("ILOU") == std::string::npos);

  const unsigned char bytes[] = {0xff, 0x00};
  CHECK(system::toCrockfordBase32(bytes, 2) == "ZW00");
  CHECK(system::toHex(bytes, 2) == "ff00");

  system::SeededRandom a(7), b(7);
  CHECK(a.hex(8) == b.hex(8));
}

TEST_CASE("clocks: fake, offset file and timestamp text") {
  system::FakeClock fake(1000);
  fake.advance(60);
  CHECK(fake.now() == 1060);
  CHECK(system::formatTimestamp(0) == "1970-01-01T00:00:00Z");

  const auto dir = testing::tempDir("clock");
  system::OffsetFileClock offset(dir + "/offset");
  const auto before = system::SystemClock().now();
  CHECK(offset.now() - before <= 1);  // no file: no offset
  system::writeFileAtomic(dir + "/offset", "3600\n", 0644);
  CHECK(offset.now() - before >= 3600);
}

TEST_CASE("atomic writes replace the whole file with the requested mode and leave no temp file") {
  const auto dir = testing::tempDir("files");
  const auto path = dir + "/secret";
  system::writeFileAtomic(path, "one", 0600);
  system::writeFileAtomic(path, "two", 0600);
  CHECK(system::readFile(path) == "two");
  struct stat st{};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(system::fileExists(path + ".tmp"));
  system::removeFileIfExists(path);
  system::removeFileIfExists(path);  // absent is fine
  CHECK_FALSE(system::fileExists(path));
  CHECK_THROWS(system::writeFileAtomic(dir + "/no/such/dir/file", "x", 0600));
}

TEST_CASE("the systemd notifier sends READY, STOPPING and WATCHDOG to NOTIFY_SOCKET") {
  const auto dir = testing::tempDir("notify");
  const std::string socketPath = dir + "/notify.sock";
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socketPath.c_str());
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  ::setenv("NOTIFY_SOCKET", socketPath.c_str(), 1);
  ::setenv("WATCHDOG_USEC", "2000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);

  system::SystemdNotifier notifier;
  auto receive = [&] {
    char buf[256] = {};
    const auto n = ::recv(fd, buf, sizeof buf - 1, 0);
    return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  };
  notifier.ready("serving");
  CHECK(receive() == "READY=1\nSTATUS=serving");
  notifier.watchdogPing();
  CHECK(receive() == "WATCHDOG=1");
  notifier.stopping();
  CHECK(receive() == "STOPPING=1");
  CHECK(notifier.watchdogInterval() == std::chrono::microseconds(1000000));

  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  CHECK_FALSE(notifier.watchdogInterval());
  ::close(fd);
}

TEST_CASE("temporary IPv6 addresses are picked out of /proc/net/if_inet6, so certificates leave them out") {
  // address, interface index, prefix length, scope, flags, interface (as the kernel writes it)
  const std::string ifInet6 =
      "20010db8000000000000000000000001 02 40 00 80     eth0\n"  // permanent: a certificate name
      "20010db80000000021a2b3fffec4d5e6 02 40 00 00     eth0\n"  // SLAAC, stable
      "20010db8000000005c1f0a7e9b3c2d41 02 40 00 01     eth0\n"  // temporary (RFC 8981)
      "20010db800000000aaaabbbbccccdddd 02 40 00 21     eth0\n"  // temporary and deprecated
      "fe80000000000000021a2b3fffec4d5e 02 40 20 80     eth0\n"  // link-local, permanent
      "00000000000000000000000000000001 01 80 10 80       lo\n"
      "not an address line\n"
      "20010db8zz0000000000000000000001 02 40 00 01     eth0\n"  // not hex
      "20010db8000000000000000000000002 02 40 00 0x     eth0\n"; // flags not hex
  CHECK(system::temporaryIpv6Addresses(ifInet6) ==
        std::vector<std::string>{"2001:db8::5c1f:a7e:9b3c:2d41", "2001:db8::aaaa:bbbb:cccc:dddd"});
  CHECK(system::temporaryIpv6Addresses("").empty());
}
