#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "core/log.hpp"

namespace {
// Service-log lines would drown Catch's report; tests that care read Logger::format.
class QuietSink final : public nestbox::LogSink {
 public:
  void write(std::string_view) override {}
};
}  // namespace

int main(int argc, char* argv[]) {
  QuietSink sink;
  nestbox::Logger::setSink(&sink);
  return Catch::Session().run(argc, argv);
}
