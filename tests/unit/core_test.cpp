#include <catch2/catch.hpp>
#include <set>

#include "core/config.hpp"
#include "core/events.hpp"
#include "core/json_input.hpp"
#include "core/log.hpp"

using namespace nestbox;

TEST_CASE("event ids are unique, prefixed and found again by id") {
  std::set<std::string_view> seen;
  for (int i = 0; i <= static_cast<int>(Event::HttpInternalError); ++i) {
    const auto& info = eventInfo(static_cast<Event>(i));
    CHECK(info.id.rfind("NBX_", 0) == 0);
    CHECK(seen.insert(info.id).second);
    CHECK(eventFromId(info.id) == static_cast<Event>(i));
  }
  CHECK_FALSE(eventFromId("NBX_NO_SUCH_EVENT"));
}

TEST_CASE("log lines carry the event id and cannot be forged with control characters") {
  const auto line = Logger::format(Event::SignInFailed, {{"user", "eve\nINFO NBX_AUTH_SIGNIN_OK"}, {"n", "1"}});
  CHECK(line.rfind("WARN NBX_AUTH_SIGNIN_FAILED ", 0) == 0);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find("user=\"eve\\x0aINFO NBX_AUTH_SIGNIN_OK\"") != std::string::npos);
  CHECK(line.find(" n=1") != std::string::npos);
}

TEST_CASE("config has embedded defaults and reads key = value files strictly") {
  const Config defaults;
  CHECK(defaults.listenAddress == "127.0.0.1");
  CHECK(defaults.dataDir == "/var/lib/nestbox");
  CHECK(defaults.effectiveSetupCodeFile() == "/var/lib/nestbox/setup-code.txt");

  const auto c = parseConfig("# comment\ndata_dir = /tmp/x  # trailing\nlisten_port=9000\nthreads = 2\n");
  CHECK(c.dataDir == "/tmp/x");
  CHECK(c.listenPort == 9000);
  CHECK(c.threads == 2);
  CHECK(c.passwordHashOps == defaults.passwordHashOps);

  CHECK_THROWS_WITH(parseConfig("colour = blue"), Catch::Contains("unknown key 'colour'"));
  CHECK_THROWS_WITH(parseConfig("listen_port = 70000"), Catch::Contains("line 1"));
  CHECK_THROWS_WITH(parseConfig("listen_port = 80x"), Catch::Contains("whole number"));
  CHECK_THROWS_WITH(parseConfig("listen_address = 0.0.0.0"), Catch::Contains("loopback"));
  CHECK_THROWS_WITH(parseConfig("just words"), Catch::Contains("key = value"));
  CHECK_THROWS_AS(loadConfigFile("/nonexistent/nestbox.conf"), ConfigError);
}

TEST_CASE("JSON bodies are read strictly") {
  CHECK_THROWS_WITH(parseJsonObject("{\"a\":"), "The request body is not valid JSON.");
  CHECK_THROWS_WITH(parseJsonObject("[1,2]"), "The request body must be a JSON object.");

  const Json body = parseJsonObject(R"({"name":"Ann","age":4,"ok":true,"extra":1})");
  JsonReader in(body);
  CHECK(in.requiredString("name", 1, 10) == "Ann");
  CHECK(in.optionalInt("age", 0, 10) == 4);
  CHECK(in.optionalBool("ok") == true);
  CHECK_FALSE(in.optionalString("missing", 1, 5));
  try {
    in.finish();
    FAIL("unknown field accepted");
  } catch (const InputError& e) {
    CHECK(e.field == "extra");
  }

  const Json bad = parseJsonObject(R"({"name":5,"long":"abcdef","ctl":"a\u0001b","n":1.5,"b":"yes"})");
  JsonReader r(bad);
  CHECK_THROWS_WITH(r.requiredString("name", 1, 10), "'name' must be text.");
  CHECK_THROWS_WITH(r.requiredString("long", 1, 5), "'long' must be at most 5 characters.");
  CHECK_THROWS_WITH(r.requiredString("ctl", 1, 5), "'ctl' contains control characters.");
  CHECK_THROWS_WITH(r.optionalInt("n", 0, 5), "'n' must be a whole number.");
  CHECK_THROWS_WITH(r.optionalBool("b"), "'b' must be true or false.");
  CHECK_THROWS_WITH(r.requiredString("absent", 1, 5), "'absent' is required.");
  // Several lines (issue 32): line breaks kept (CR LF and CR as LF) and tabs allowed; other controls refused.
  const Json lines = parseJsonObject(R"({"body":"one\r\ntwo\rthree\n\tfour","ctl":"a\u0001\nb","title":"a\nb"})");
  JsonReader l(lines);
  CHECK(l.requiredParagraphs("body", 1, 100) == "one\ntwo\nthree\n\tfour");
  CHECK_THROWS_WITH(l.requiredParagraphs("ctl", 1, 100), "'ctl' contains control characters.");
  CHECK_THROWS_WITH(l.requiredString("title", 1, 100), "'title' contains control characters.");
  // Length counts characters, not bytes.
  const Json utf = parseJsonObject(R"({"n":"Zoë"})");
  JsonReader u(utf);
  CHECK(u.requiredString("n", 3, 3) == "Zoë");
}
